"use client";

import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CheckboxField } from "@/components/ui/field";
import { ProgressBar } from "@/components/ui/progress-bar";
import { EmptyState, ErrorState, Skeleton } from "@/components/ui/states";
import { Table, TBody, TH, THead, TR } from "@/components/ui/table";
import type { KeyView } from "@/lib/keys/key-view.schema";
import { errorMessage } from "@/lib/client/api-client";
import { CreateKeyDialog } from "./create-key-dialog";
import { KeyActionDialogs, useKeyActions } from "./key-action-dialogs";
import { keyLabel, keyLimitReason } from "./key-permissions";
import { COUNT_DEFINITIONS } from "@/lib/usage/definitions";
import { KEY_COLUMNS, KeyRow } from "./key-row";
import { useKeys } from "./use-keys";

export interface KeysTableProps {
  /** The plan's per-key rate ceiling (requests per minute): the create form's default and max. */
  rateCeiling: number;
  planName: string;
}

export function KeysTable({ rateCeiling, planName }: KeysTableProps) {
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const query = useKeys(includeRevoked);
  const [createOpen, setCreateOpen] = useState(false);
  const keyActions = useKeyActions();
  const { enable } = keyActions;
  const tableBox = useRef<HTMLDivElement>(null);
  // A revoked row leaves the list with its focused "Actions" button; focus then goes to the table.
  const refocusTable = useRef(false);

  const keys = useMemo(() => query.data?.keys ?? [], [query.data]);
  const byId = useMemo(() => new Map(keys.map((k) => [k.id, k])), [keys]);
  const labelOf = (key: KeyView) => keyLabel(key, keys);

  useEffect(() => {
    if (!refocusTable.current) return;
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    refocusTable.current = false;
    tableBox.current?.querySelector<HTMLElement>('[role="region"]')?.focus();
  }, [keys]);

  if (query.isPending) return <KeysSkeleton />;
  if (!query.data) {
    return <ErrorState title="Could not load your API keys" message={errorMessage(query.error)} onRetry={() => void query.refetch()} />;
  }

  const { limit, viewer } = query.data;
  const atLimit = limit.used >= limit.max;
  const limitReason = atLimit ? keyLimitReason(limit, viewer, keys) : null;
  const createButton = (
    <Button onClick={() => setCreateOpen(true)} disabled={atLimit} aria-describedby={atLimit ? "key-limit-reason" : undefined}>
      Create key
    </Button>
  );

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="min-w-56">
          <p className="text-sm font-medium text-zinc-900 dark:text-zinc-100">
            {`${limit.used} of ${limit.max} keys`} <span className="font-normal text-zinc-500 dark:text-zinc-400">on the {limit.plan} plan</span>
          </p>
          <div className="mt-2 w-56 max-w-full">
            <ProgressBar value={limit.used} max={limit.max} label="API keys used" valueText={`${limit.used} of ${limit.max} keys`} />
          </div>
          {limitReason ? (
            <p id="key-limit-reason" className="mt-2 max-w-prose text-xs text-zinc-600 dark:text-zinc-400">
              {limitReason}{" "}
              {viewer.role === "owner" ? (
                <Link href="/billing" className="font-medium text-accent-700 underline dark:text-accent-300">
                  Upgrade the plan
                </Link>
              ) : null}
            </p>
          ) : null}
        </div>
        <div className="flex flex-wrap items-center gap-4">
          <CheckboxField label="Show revoked keys" name="show_revoked" checked={includeRevoked} onChange={(e) => setIncludeRevoked(e.currentTarget.checked)} />
          {createButton}
        </div>
      </div>

      {query.isError ? (
        <div role="alert" className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-300">
          <span>Could not refresh the list: {errorMessage(query.error)}</span>
          <Button variant="secondary" size="sm" onClick={() => void query.refetch()}>
            Try again
          </Button>
        </div>
      ) : null}

      {keys.length === 0 ? (
        <EmptyState
          title="No keys yet"
          description="Create a key for each app or environment that calls the API, so you can rotate or revoke one without touching the others."
          action={
            <Button onClick={() => setCreateOpen(true)} disabled={atLimit} aria-describedby={atLimit ? "key-limit-reason" : undefined}>
              Create your first key
            </Button>
          }
        />
      ) : (
        // `relative` keeps the table's sr-only header inside the card instead of widening the page.
        <Card ref={tableBox} aria-busy={query.isFetching || undefined} className="relative">
          <Table caption={includeRevoked ? "API keys, including revoked keys" : "API keys"}>
            <THead>
              <TR>
                {KEY_COLUMNS.map(([title, className]) => (
                  <TH key={title} className={className} title={title === "Admitted calls" ? COUNT_DEFINITIONS.admitted.definition : undefined}>
                    {title}
                  </TH>
                ))}
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {keys.map((key) => (
                <KeyRow
                  key={key.id}
                  keyView={key}
                  label={labelOf(key)}
                  viewer={viewer}
                  byId={byId}
                  onSelect={keyActions.select}
                  busy={enable.isPending && enable.variables?.key.id === key.id}
                />
              ))}
            </TBody>
          </Table>
        </Card>
      )}

      <CreateKeyDialog
        open={createOpen}
        onClose={() => setCreateOpen(false)}
        onCreated={({ secret, key }) => {
          setCreateOpen(false);
          keyActions.reveal({ secret, key });
        }}
        rateCeiling={rateCeiling}
        planName={planName}
        canGrantManage={viewer.role !== "member"}
      />
      <KeyActionDialogs
        actions={keyActions}
        keys={keys}
        rateCeiling={rateCeiling}
        planName={planName}
        canGrantManage={viewer.role !== "member"}
        onRevoked={() => {
          refocusTable.current = !includeRevoked;
        }}
      />
    </div>
  );
}

function KeysSkeleton() {
  return (
    <div className="space-y-4">
      <p role="status" className="sr-only">
        Loading API keys
      </p>
      <div className="flex items-end justify-between gap-4">
        <div className="space-y-2">
          <Skeleton className="h-4 w-40" />
          <Skeleton className="h-2 w-56" />
        </div>
        <Skeleton className="h-10 w-28" />
      </div>
      <Card>
        <div className="divide-y divide-zinc-200 dark:divide-zinc-800">
          <Skeleton className="m-4 h-4 w-1/3" />
          {[0, 1, 2].map((i) => (
            <div key={i} className="flex items-center gap-6 px-4 py-4">
              <Skeleton className="h-4 w-32" />
              <Skeleton className="h-4 w-40" />
              <Skeleton className="h-4 w-24" />
              <Skeleton className="h-5 w-16 rounded-full" />
              <Skeleton className="ml-auto h-4 w-20" />
            </div>
          ))}
        </div>
      </Card>
    </div>
  );
}
