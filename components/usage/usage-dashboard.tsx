"use client";

import Link from "next/link";
import { useState } from "react";
import { errorMessage } from "@/lib/client/api-client";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { EmptyState, ErrorState, Skeleton } from "@/components/ui/states";
import type { UsageSummary } from "@/lib/usage/usage.schema";
import { ChartSkeleton, DailyChart } from "./daily-chart";
import { LiveStatus } from "./live-status";
import { QuotaCard, QuotaCardSkeleton } from "./quota-card";
import { RangeSwitcher, Segmented } from "./range-switcher";
import { callsByKey, callsByStatus } from "./usage-format";
import { EndpointsTable, ErrorCodesTable, KeysTable, TotalsRow } from "./usage-tables";
import { useRangeParam, useUsageSummary, type RangeDays } from "./use-usage";

type ChartView = "key" | "status";
const VIEWS = [
  { value: "key", label: "By key" },
  { value: "status", label: "By status" },
] as const satisfies readonly { value: ChartView; label: string }[];

function DashboardSkeleton() {
  return (
    <div className="space-y-6">
      <p role="status" className="sr-only">
        Loading usage
      </p>
      <QuotaCardSkeleton />
      <Card>
        <CardHeader title="Daily calls" />
        <CardBody>
          <ChartSkeleton />
        </CardBody>
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        {[0, 1].map((i) => (
          <Card key={i} className="space-y-3 p-6">
            <Skeleton className="h-5 w-32" />
            <Skeleton className="h-4 w-full" />
            <Skeleton className="h-4 w-full" />
            <Skeleton className="h-4 w-2/3" />
          </Card>
        ))}
      </div>
    </div>
  );
}

function NoCalls({ summary, days, onWiden }: { summary: UsageSummary; days: RangeDays; onWiden: () => void }) {
  // Nothing metered this month and nothing in the range: most likely a new team.
  if (summary.quota.used === 0) {
    return (
      <EmptyState
        title="No calls yet"
        description="Make your first call with the API page's curl example; it shows up here within a few seconds."
        action={
          <Link href="/api-docs" className={buttonClasses("primary")}>
            Open the API page
          </Link>
        }
      />
    );
  }
  return (
    <EmptyState
      title={`No calls in the last ${days} days`}
      description={
        <>
          Try a longer range, or make a call with the{" "}
          <Link href="/api-docs" className="font-medium text-accent-700 underline-offset-2 hover:underline dark:text-accent-300">
            API page&apos;s curl example
          </Link>
          .
        </>
      }
      action={
        days !== 90 ? (
          <Button variant="secondary" onClick={onWiden}>
            Show 90 days
          </Button>
        ) : undefined
      }
    />
  );
}

/** The usage page: quota, daily chart, top endpoints and error codes, refreshed every few seconds. */
export function UsageDashboard({ planName, scopeNote }: { planName: string; scopeNote: string }) {
  const [days, setDays] = useRangeParam();
  const [view, setView] = useState<ChartView>("key");
  const query = useUsageSummary(days);

  if (query.isPending) return <DashboardSkeleton />;
  if (!query.data) {
    return <ErrorState title="Could not load usage" message={errorMessage(query.error)} onRetry={() => void query.refetch()} />;
  }

  const summary = query.data;
  const shownDays = summary.range_days as RangeDays;
  const chart = view === "key" ? callsByKey(summary) : callsByStatus(summary);
  const viewWords = view === "key" ? "by key" : "by status (success, client errors, server errors)";

  return (
    <div className="space-y-6">
      <QuotaCard quota={summary.quota} planName={planName} />

      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="flex flex-wrap items-center gap-3">
          <RangeSwitcher value={days} onChange={setDays} />
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{scopeNote}</p>
        </div>
        <LiveStatus
          updatedAt={query.isPlaceholderData ? 0 : query.dataUpdatedAt}
          failed={query.isRefetchError}
          refreshing={query.isFetching}
          onRetry={() => void query.refetch()}
        />
      </div>

      <div className={cx("space-y-6 transition-opacity", query.isPlaceholderData && "opacity-60")} aria-busy={query.isPlaceholderData || undefined}>
        {summary.totals.attempts === 0 ? (
          <NoCalls summary={summary} days={shownDays} onWiden={() => setDays(90)} />
        ) : (
          <>
            <Card>
              <CardHeader
                title="Daily calls"
                description={`Last ${shownDays} days, UTC, stacked ${view === "key" ? "by key" : "by status"}.`}
                actions={<Segmented label="Split the bars" options={VIEWS} value={view} onChange={setView} />}
              />
              <CardBody className="space-y-6">
                <TotalsRow totals={summary.totals} />
                <DailyChart
                  data={chart}
                  label={`Daily calls ${viewWords}, last ${shownDays} days`}
                  tableCaption={`Daily calls ${viewWords}, last ${shownDays} days (UTC)`}
                />
              </CardBody>
            </Card>
            {/* Top endpoints has four columns, error codes two: share the width 3:2, not 1:1 (clipped at 1280 px). */}
            <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
              <EndpointsTable endpoints={summary.endpoints} days={shownDays} />
              <ErrorCodesTable codes={summary.error_codes} days={shownDays} />
            </div>
            <KeysTable summary={summary} />
          </>
        )}
      </div>
    </div>
  );
}
