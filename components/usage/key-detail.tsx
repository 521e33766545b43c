"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useEffect, useMemo } from "react";
import { errorMessage } from "@/lib/client/api-client";
import { useKeys } from "@/components/keys/use-keys";
import { Badge } from "@/components/ui/badge";
import { KEY_STATUS_BADGE, keyStatusText } from "@/components/keys/key-status";
import { KeyActionDialogs, useKeyActions } from "@/components/keys/key-action-dialogs";
import { keyLabel, type Viewer } from "@/components/keys/key-permissions";
import { KeySettingsCard } from "@/components/keys/key-settings-card";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, ErrorState, Skeleton } from "@/components/ui/states";
import { formatDate } from "@/lib/format";
import type { KeyView } from "@/lib/keys/key-view.schema";
import { CallFilters } from "./call-filters";
import { CallHistoryTable } from "./call-history-table";
import { ChartSkeleton, DailyChart } from "./daily-chart";
import { LiveStatus } from "./live-status";
import { RangeSwitcher } from "./range-switcher";
import { callsByStatus, STATUS_LABEL } from "./usage-format";
import { TotalsRow } from "./usage-tables";
import {
  ENDPOINT_FILTERS,
  exportUrl,
  filterParams,
  hasFilters,
  parseFilters,
  useCallHistory,
  useRangeParam,
  useReplaceSearchParams,
  useUsageSummary,
  type HistoryFilters,
} from "./use-usage";


const muted = "text-zinc-500 dark:text-zinc-400";
const link = "font-medium text-accent-700 underline-offset-2 hover:underline dark:text-accent-300";

function Breadcrumb({ current }: { current: string }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-2 text-sm">
      <ol className="flex flex-wrap items-center gap-1.5 text-zinc-600 dark:text-zinc-400">
        <li>
          <Link href="/keys" className={link}>
            API keys
          </Link>
        </li>
        <li aria-hidden="true">/</li>
        <li aria-current="page" className="truncate">
          {current}
        </li>
      </ol>
    </nav>
  );
}

function KeySkeleton() {
  return (
    <div className="space-y-6">
      <p role="status" className="sr-only">
        Loading the key
      </p>
      <div className="space-y-2">
        <Skeleton className="h-4 w-32" />
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-4 w-48" />
      </div>
      <Card className="p-6">
        <ChartSkeleton />
      </Card>
    </div>
  );
}

function describeFilters(f: HistoryFilters): string {
  const parts: string[] = [];
  if (f.status) parts.push(STATUS_LABEL[f.status].toLowerCase());
  if (f.endpoint) parts.push(ENDPOINT_FILTERS.find((e) => e.value === f.endpoint)?.label ?? f.endpoint);
  if (f.from && f.to) parts.push(`${f.from} to ${f.to}`);
  else if (f.from) parts.push(`from ${f.from}`);
  else if (f.to) parts.push(`until ${f.to}`);
  return parts.length ? `, filtered: ${parts.join(", ")}` : "";
}

/** A key's page: who it is, its daily calls, and its call history with filters and CSV export. */
export function KeyDetail({ keyId, rateCeiling, planName }: { keyId: string; rateCeiling: number; planName: string }) {
  const keys = useKeys(true);
  const key = keys.data?.keys.find((k) => k.id === keyId);
  if (keys.isPending) return <KeySkeleton />;
  if (!keys.data) {
    return (
      <div className="space-y-6">
        <Breadcrumb current="Key" />
        <PageHeader title="API key" />
        <ErrorState title="Could not load the key" message={errorMessage(keys.error)} onRetry={() => void keys.refetch()} />
      </div>
    );
  }
  if (!key) {
    return (
      <div className="space-y-6">
        <Breadcrumb current="Not found" />
        <PageHeader title="Key not found" />
        <EmptyState
          title="This key does not exist, or it is not yours to see"
          description="Members see the keys they created; owners and admins see every key in the team. Check the link, or switch teams."
          action={
            <Link href="/keys" className={buttonClasses("secondary")}>
              Back to API keys
            </Link>
          }
        />
      </div>
    );
  }
  return <KeyFound keyView={key} keys={keys.data.keys} viewer={keys.data.viewer} rateCeiling={rateCeiling} planName={planName} />;
}

interface KeyFoundProps {
  keyView: KeyView;
  keys: KeyView[];
  viewer: Viewer;
  rateCeiling: number;
  planName: string;
}

function KeyFound({ keyView: key, keys, viewer, rateCeiling, planName }: KeyFoundProps) {
  const keyActions = useKeyActions();
  const byId = useMemo(() => new Map(keys.map((k) => [k.id, k])), [keys]);
  const label = keyLabel(key, keys);
  const [days, setDays] = useRangeParam();
  const searchParams = useSearchParams();
  // A stable object that changes only with the filters (not with ?days=).
  const filterQuery = filterParams(parseFilters(searchParams)).toString();
  const filters = useMemo(() => parseFilters(new URLSearchParams(filterQuery)), [filterQuery]);
  const replace = useReplaceSearchParams();
  const dateError = filters.from && filters.to && filters.from > filters.to ? "The start date must not be after the end date." : undefined;

  const summary = useUsageSummary(days, key.id);
  const { pages, head, calls, gap } = useCallHistory(key.id, filters, !dateError);
  const { refetch: refetchPages } = pages;
  useEffect(() => {
    // Many calls between two polls: reload the loaded pages so nothing in between is missing.
    if (gap) void refetchPages();
  }, [gap, refetchPages]);

  const updated = [summary.isPlaceholderData ? 0 : summary.dataUpdatedAt, head.dataUpdatedAt].filter((t) => t > 0);
  const status = { tone: KEY_STATUS_BADGE[key.status].tone, text: keyStatusText(key) };
  const filtered = hasFilters(filters);
  const clear = () => replace({ status: null, endpoint: null, from: null, to: null });

  return (
    <div className="space-y-6">
      <div>
        <Breadcrumb current={key.name} />
        <PageHeader
          title={key.name}
          description={
            <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <code className="font-mono text-zinc-800 dark:text-zinc-200" aria-label={`Key ${key.prefix}…${key.last4}`}>
                {key.prefix}…{key.last4}
              </code>
              <Badge tone={status.tone}>{status.text}</Badge>
              <span>Created {formatDate(key.created_at)}</span>
              {key.creator_email ? <span>by {key.creator_email}</span> : null}
            </span>
          }
          actions={
            <LiveStatus
              updatedAt={updated.length ? Math.min(...updated) : 0}
              failed={summary.isRefetchError || head.isRefetchError}
              refreshing={summary.isFetching || head.isFetching}
              onRetry={() => {
                void summary.refetch();
                void head.refetch();
              }}
            />
          }
        />
      </div>

      <KeySettingsCard
        keyView={key}
        byId={byId}
        viewer={viewer}
        label={label}
        onSelect={(action) => keyActions.select(key, action)}
        busy={keyActions.enable.isPending}
      />
      <KeyActionDialogs actions={keyActions} keys={keys} rateCeiling={rateCeiling} planName={planName} canGrantManage={viewer.role !== "member"} />

      <Card>
        <CardHeader
          title="Daily calls"
          description={`Last ${days} days, UTC, stacked by status.`}
          actions={<RangeSwitcher value={days} onChange={setDays} />}
        />
        <CardBody className="space-y-6">
          {summary.isPending ? (
            <>
              <p role="status" className="sr-only">
                Loading this key&apos;s usage
              </p>
              <ChartSkeleton />
            </>
          ) : !summary.data ? (
            <ErrorState title="Could not load this key's usage" message={errorMessage(summary.error)} onRetry={() => void summary.refetch()} headingLevel={3} />
          ) : (
            <div className={summary.isPlaceholderData ? "space-y-6 opacity-60 transition-opacity" : "space-y-6"}>
              <TotalsRow totals={summary.data.totals} />
              <DailyChart
                data={callsByStatus(summary.data)}
                label={`Daily calls with ${key.name} by status, last ${summary.data.range_days} days`}
                tableCaption={`Daily calls with ${key.name} by status, last ${summary.data.range_days} days (UTC)`}
              />
            </div>
          )}
        </CardBody>
      </Card>

      <Card>
        <CardHeader
          title="Call history"
          description="Every call made with this key, newest first. Times are UTC."
          actions={
            dateError ? (
              <span aria-disabled="true" className={buttonClasses("secondary", "sm")}>
                Export CSV
              </span>
            ) : (
              <a href={exportUrl(key.id, filters)} download className={buttonClasses("secondary", "sm")}>
                Export CSV<span className="sr-only">{filtered ? " of the filtered calls" : " of all calls"}</span>
              </a>
            )
          }
        />
        <CardBody className="border-b border-zinc-200 dark:border-zinc-800">
          <CallFilters
            filters={filters}
            dateError={dateError}
            onChange={(changes) => replace(changes)}
            onClear={clear}
          />
        </CardBody>
        {dateError ? (
          <p className={`px-6 py-8 text-center text-sm ${muted}`}>Pick a start date on or before the end date.</p>
        ) : pages.isPending ? (
          <div className="divide-y divide-zinc-200 dark:divide-zinc-800">
            <p role="status" className="sr-only">
              Loading calls
            </p>
            {[0, 1, 2, 3, 4].map((i) => (
              <div key={i} className="flex items-center gap-6 px-4 py-4">
                <Skeleton className="h-4 w-40" />
                <Skeleton className="h-4 w-44" />
                <Skeleton className="h-4 w-12" />
                <Skeleton className="ml-auto h-4 w-48" />
              </div>
            ))}
          </div>
        ) : !pages.data ? (
          <div className="p-6">
            <ErrorState title="Could not load the calls" message={errorMessage(pages.error)} onRetry={() => void pages.refetch()} headingLevel={3} />
          </div>
        ) : calls.length === 0 ? (
          <div className="p-6">
            {filtered ? (
              <EmptyState
                headingLevel={3}
                title="No calls match these filters"
                description="Try another status, endpoint or dates."
                action={
                  <Button variant="secondary" onClick={clear}>
                    Clear filters
                  </Button>
                }
              />
            ) : (
              <EmptyState
                headingLevel={3}
                title="No calls with this key yet"
                description="Calls show up here within a few seconds."
                action={
                  <Link href="/api-docs" className={buttonClasses("secondary")}>
                    Try it on the API page
                  </Link>
                }
              />
            )}
          </div>
        ) : (
          <CallHistoryTable calls={calls} caption={`Calls with ${key.name}, newest first${describeFilters(filters)}`} />
        )}
      </Card>

      {pages.data && calls.length > 0 ? (
        <div className="space-y-3">
          {pages.isFetchNextPageError ? (
            <p role="alert" className="text-center text-sm text-red-700 dark:text-red-400">
              Could not load more calls: {errorMessage(pages.error)}
            </p>
          ) : null}
          {pages.hasNextPage ? (
            <div className="flex justify-center">
              <Button variant="secondary" loading={pages.isFetchingNextPage} onClick={() => void pages.fetchNextPage()}>
                Load more
              </Button>
            </div>
          ) : (
            <p className={`text-center text-sm ${muted}`}>
              {calls.length === 1 ? "That is the only call" : `That is all ${calls.length} calls`}
              {filtered ? " matching these filters." : "."}
            </p>
          )}
        </div>
      ) : null}
    </div>
  );
}
