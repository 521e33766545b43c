"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState, ErrorState, Skeleton } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { errorMessage, apiFetch } from "@/lib/client/api-client";
import { queryKeys } from "@/lib/client/query-keys";
import { formatDateTime } from "@/lib/format";
import type { AuditEntry } from "@/lib/keys/key-view.schema";
import { describeAction, describeSubject } from "./describe-action";

interface ActivityPage {
  entries: AuditEntry[];
  next_cursor: number | null;
}

const PAGE_SIZE = 50;
const muted = "text-zinc-500 dark:text-zinc-400";

export function ActivityLogTable() {
  const query = useInfiniteQuery({
    queryKey: queryKeys.activity,
    initialPageParam: null as number | null,
    queryFn: ({ pageParam, signal }) =>
      apiFetch<ActivityPage>(`/api/audit-log?limit=${PAGE_SIZE}${pageParam === null ? "" : `&cursor=${pageParam}`}`, { signal }),
    getNextPageParam: (last) => last.next_cursor,
    // Others act on keys too: a visit always refreshes what is cached.
    staleTime: 0,
  });

  if (query.isPending) {
    return (
      <Card>
        <p role="status" className="sr-only">
          Loading the audit log
        </p>
        <div className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {[0, 1, 2, 3].map((i) => (
            <div key={i} className="flex items-center gap-6 px-4 py-4">
              <Skeleton className="h-4 w-36" />
              <Skeleton className="h-4 w-48" />
              <Skeleton className="h-4 w-24" />
              <Skeleton className="ml-auto h-4 w-32" />
            </div>
          ))}
        </div>
      </Card>
    );
  }
  if (!query.data) {
    return <ErrorState title="Could not load the audit log" message={errorMessage(query.error)} onRetry={() => void query.refetch()} />;
  }

  const entries = query.data.pages.flatMap((p) => p.entries);
  if (entries.length === 0) {
    return <EmptyState title="Nothing here yet" description="Key changes (created, renamed, edited, disabled, rotated, revoked), invitations, members joining, leaving, removed or re-roled, and plan changes are recorded here." />;
  }

  return (
    <div className="space-y-4">
      <Card>
        <Table caption="Audit log, newest first">
          <THead>
            <TR>
              <TH>Time (UTC)</TH>
              <TH>Action</TH>
              <TH>Subject</TH>
              <TH>Actor</TH>
              <TH>IP</TH>
            </TR>
          </THead>
          <TBody>
            {entries.map((e) => (
              <TR key={e.id} data-testid="audit-row">
                <TD className="whitespace-nowrap">
                  <time dateTime={e.created_at}>{formatDateTime(e.created_at).replace(/ UTC$/, "")}</time>
                </TD>
                <TD className="text-zinc-900 dark:text-zinc-100">{describeAction(e)}</TD>
                <TD className="max-w-64 break-words">{describeSubject(e)}</TD>
                <TD className="max-w-64" title={e.actor_email ?? undefined}>
                  <span className="block truncate">
                    {e.actor_email ?? <span className={muted}>{e.actor_id === null && e.action === "plan.changed" ? "Billing" : "Former member"}</span>}
                  </span>
                  {e.actor_key ? (
                    <span className={`block text-xs ${muted}`}>
                      via API key <code className="font-mono">{e.actor_key}</code>
                    </span>
                  ) : null}
                </TD>
                <TD className="font-mono text-xs">{e.ip ?? <span className={muted}>—</span>}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </Card>
      {query.isFetchNextPageError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          Could not load more entries: {errorMessage(query.error)}
        </p>
      ) : null}
      {query.hasNextPage ? (
        <div className="flex justify-center">
          <Button variant="secondary" loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            Load more
          </Button>
        </div>
      ) : (
        <p className={`text-center text-sm ${muted}`}>That is the whole log.</p>
      )}
    </div>
  );
}
