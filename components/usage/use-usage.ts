"use client";

import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { ApiError, apiFetch } from "@/lib/client/api-client";
import { queryKeys } from "@/lib/client/query-keys";
import { RANGE_DAYS, STATUS_CLASSES, type CallPage, type StatusClass, type UsageSummary } from "@/lib/usage/usage.schema";

/** How often open usage pages refresh (only while the tab is visible). */
export const REFRESH_MS = 5_000;
/** Data older than this (or a failed refresh) gets a "may be out of date" notice. */
export const STALE_AFTER_MS = 30_000;
export const HISTORY_PAGE_SIZE = 50;

export type RangeDays = (typeof RANGE_DAYS)[number];
export const DEFAULT_DAYS: RangeDays = 30;

/** A 4xx other than 408/429 will not fix itself: stop polling until the viewer retries. */
function isFinal(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
}

function pollUnlessFinal(query: { state: { error: unknown } }): number | false {
  return isFinal(query.state.error) ? false : REFRESH_MS;
}

export function useUsageSummary(days: RangeDays, keyId?: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.usage.summary(days, keyId ?? null),
    queryFn: ({ signal }) => {
      const params = new URLSearchParams({ days: String(days) });
      if (keyId) params.set("key_id", keyId);
      return apiFetch<UsageSummary>(`/api/usage?${params}`, { signal });
    },
    enabled,
    // Switching the range keeps the current numbers on screen until the new ones arrive.
    placeholderData: keepPreviousData,
    staleTime: 0,
    refetchInterval: (query) => pollUnlessFinal(query),
    refetchIntervalInBackground: false,
    retry: (count, error) => !isFinal(error) && count < 1,
  });
}

/* URL state ---------------------------------------------------------------- */

/** Returns a function that rewrites some search params in place (no history entry, no scroll jump). */
export function useReplaceSearchParams() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  return useCallback(
    (changes: Record<string, string | null>) => {
      const next = new URLSearchParams(searchParams.toString());
      for (const [name, value] of Object.entries(changes)) {
        if (value === null || value === "") next.delete(name);
        else next.set(name, value);
      }
      const qs = next.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [router, pathname, searchParams],
  );
}

export function parseDays(raw: string | null): RangeDays {
  const n = Number(raw);
  return (RANGE_DAYS as readonly number[]).includes(n) ? (n as RangeDays) : DEFAULT_DAYS;
}

/** `?days=7|30|90`, 30 when absent or not one of those. */
export function useRangeParam(): [RangeDays, (days: RangeDays) => void] {
  const searchParams = useSearchParams();
  const replace = useReplaceSearchParams();
  const days = parseDays(searchParams.get("days"));
  const setDays = useCallback((d: RangeDays) => replace({ days: String(d) }), [replace]);
  return [days, setDays];
}

/* Call history ------------------------------------------------------------- */

export const ENDPOINT_FILTERS = [
  { value: "/api/public/ping", label: "ping" },
  { value: "/api/public/validate", label: "validate" },
  { value: "/api/public/audit", label: "audit" },
  { value: "/api/public/audit/{audit_id}", label: "audit status" },
] as const;

export interface HistoryFilters {
  status?: StatusClass;
  endpoint?: string;
  from?: string;
  to?: string;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function isDate(value: string | null): value is string {
  return value !== null && DATE_RE.test(value) && !Number.isNaN(new Date(`${value}T00:00:00Z`).getTime());
}

/** The filters in the URL, keeping only values the API accepts. */
export function parseFilters(params: URLSearchParams | { get(name: string): string | null }): HistoryFilters {
  const status = params.get("status");
  const endpoint = params.get("endpoint");
  const from = params.get("from");
  const to = params.get("to");
  return {
    ...((STATUS_CLASSES as readonly string[]).includes(status ?? "") ? { status: status as StatusClass } : {}),
    ...(ENDPOINT_FILTERS.some((e) => e.value === endpoint) ? { endpoint: endpoint! } : {}),
    ...(isDate(from) ? { from } : {}),
    ...(isDate(to) ? { to } : {}),
  };
}

export function filterParams(filters: HistoryFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status) params.set("status", filters.status);
  if (filters.endpoint) params.set("endpoint", filters.endpoint);
  if (filters.from) params.set("from", filters.from);
  if (filters.to) params.set("to", filters.to);
  return params;
}

export function hasFilters(filters: HistoryFilters): boolean {
  return Boolean(filters.status || filters.endpoint || filters.from || filters.to);
}

function callsUrl(keyId: string, filters: HistoryFilters, cursor: string | null): string {
  const params = filterParams(filters);
  params.set("limit", String(HISTORY_PAGE_SIZE));
  if (cursor) params.set("cursor", cursor);
  return `/api/keys/${encodeURIComponent(keyId)}/calls?${params}`;
}

export function exportUrl(keyId: string, filters: HistoryFilters): string {
  const qs = filterParams(filters).toString();
  return `/api/keys/${encodeURIComponent(keyId)}/calls/export${qs ? `?${qs}` : ""}`;
}

function compareCalls(a: { created_at: string; id: number }, b: { created_at: string; id: number }): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1;
  return b.id - a.id;
}

/**
 * A key's call history, newest first. Older pages come from "Load more" (stable cursors); the
 * newest page is polled on its own every few seconds and merged in by id, so new calls appear
 * at the top without refetching every loaded page and without duplicate rows.
 */
export function useCallHistory(keyId: string, filters: HistoryFilters, enabled: boolean) {
  const queryClient = useQueryClient();
  const filterKey = { status: filters.status ?? null, endpoint: filters.endpoint ?? null, from: filters.from ?? null, to: filters.to ?? null };
  const headKey = queryKeys.usage.callsHead(keyId, filterKey);
  const pages = useInfiniteQuery({
    queryKey: queryKeys.usage.calls(keyId, filterKey),
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) => {
      const page = await apiFetch<CallPage>(callsUrl(keyId, filters, pageParam), { signal });
      // The newest page seeds the polled copy, so polling starts one interval later instead of
      // fetching the same page twice.
      if (pageParam === null) queryClient.setQueryData(headKey, page);
      return page;
    },
    getNextPageParam: (last) => last.next_cursor,
    enabled,
    staleTime: 0,
    retry: (count, error) => !isFinal(error) && count < 1,
  });

  const head = useQuery({
    queryKey: headKey,
    queryFn: ({ signal }) => apiFetch<CallPage>(callsUrl(keyId, filters, null), { signal }),
    enabled: enabled && pages.isSuccess,
    staleTime: REFRESH_MS,
    refetchInterval: (query) => pollUnlessFinal(query),
    refetchIntervalInBackground: false,
    retry: false,
  });

  const calls = useMemo(() => {
    const loaded = pages.data?.pages.flatMap((p) => p.calls) ?? [];
    const fresh = head.data?.calls ?? [];
    const byId = new Map<number, (typeof loaded)[number]>();
    // Fresh rows win: a call still in flight when a page loaded has its status by now.
    for (const c of loaded) byId.set(c.id, c);
    for (const c of fresh) byId.set(c.id, c);
    return [...byId.values()].sort(compareCalls);
  }, [pages.data, head.data]);

  // Many calls between two polls can leave a gap between the polled page and the loaded ones.
  const oldestFresh = head.data?.calls.at(-1);
  const newestLoaded = pages.data?.pages[0]?.calls[0];
  const gap =
    head.data?.next_cursor != null && oldestFresh !== undefined && newestLoaded !== undefined && compareCalls(oldestFresh, newestLoaded) < 0;

  return { pages, head, calls, gap };
}
