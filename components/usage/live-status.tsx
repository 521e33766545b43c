"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { STALE_AFTER_MS } from "./use-usage";

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

function ago(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  return `${Math.floor(m / 60)} h ago`;
}

/** What a screen reader hears: changes at most once a minute, so the polling stays quiet. */
function coarseAgo(ms: number): string {
  const m = Math.floor(ms / 60_000);
  if (m < 1) return "Updated less than a minute ago";
  return m === 1 ? "Updated 1 minute ago" : `Updated ${m} minutes ago`;
}

export interface LiveStatusProps {
  /** When the shown data was fetched (react-query's dataUpdatedAt); 0 while nothing is loaded. */
  updatedAt: number;
  /** The last refresh failed (the data on screen is the previous answer). */
  failed: boolean;
  refreshing: boolean;
  onRetry: () => void;
  className?: string;
}

/** "Updated 3s ago", and a notice with a retry button once the data may be out of date. */
export function LiveStatus({ updatedAt, failed, refreshing, onRetry, className }: LiveStatusProps) {
  const now = useNow(1000);
  const age = updatedAt > 0 ? now - updatedAt : 0;
  const stale = updatedAt > 0 && (failed || age > STALE_AFTER_MS);
  return (
    <div className={cx("flex flex-col items-start gap-2 sm:items-end", className)}>
      {updatedAt > 0 ? (
        <p className="flex items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
          <span aria-hidden="true" className={cx("inline-block size-2 rounded-full", stale ? "bg-amber-500" : "bg-emerald-500 motion-safe:animate-pulse")} />
          <span aria-hidden="true" data-testid="updated-ago">
            Updated {ago(age)}
          </span>
          <span className="sr-only" aria-live="polite" aria-atomic="true">
            {coarseAgo(age)}
          </span>
        </p>
      ) : null}
      <div aria-live="polite">
        {stale ? (
          <div className="flex items-center gap-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-1.5 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200">
            <p>
              Data may be out of date{failed ? ": the last refresh failed." : "."}
            </p>
            <Button size="sm" variant="secondary" loading={refreshing} onClick={onRetry}>
              Retry
            </Button>
          </div>
        ) : null}
      </div>
    </div>
  );
}
