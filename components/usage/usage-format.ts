import { generationName } from "@/components/keys/key-permissions";
/**
 * Pure formatting and shaping for the usage pages: every date here is a UTC calendar day
 * (`YYYY-MM-DD`), as the API counts them, so what a viewer reads does not depend on their
 * time zone. No React, no fetching: easy to test.
 */
import type { StatusClass, UsageSummary } from "@/lib/usage/usage.schema";
export { describeCall } from "@/lib/usage/describe-call";

export const STATUS_LABEL: Record<StatusClass, string> = {
  success: "Success",
  client_error: "Client error",
  server_error: "Server error",
};

/** Decorative only (the legend, tooltip and table carry the words); readable in light and dark. */
export const STATUS_COLOR: Record<StatusClass, string> = {
  success: "#10b981",
  client_error: "#f59e0b",
  server_error: "#ef4444",
};

/** Distinct hues for keys; they repeat after ten keys (the legend and table name each one). */
const KEY_COLORS = ["#6366f1", "#0ea5e9", "#14b8a6", "#f97316", "#a855f7", "#84cc16", "#ec4899", "#eab308", "#64748b", "#06b6d4"];

export function keyColor(index: number): string {
  return KEY_COLORS[index % KEY_COLORS.length] ?? "#6366f1";
}

function parseDay(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

/** Every UTC day from `from` to `to`, both included, oldest first. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const end = parseDay(to).getTime();
  for (let t = parseDay(from).getTime(); t <= end && out.length < 400; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** "Nov 20" */
export function shortDay(day: string): string {
  return parseDay(day).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
}

/** "Thu, Nov 20, 2026" */
export function longDay(day: string): string {
  return parseDay(day).toLocaleDateString("en-US", { weekday: "short", month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
}

/** The last day of a `YYYY-MM` month, as "Nov 30". */
export function monthEndLabel(month: string): string {
  const [y, m] = month.split("-").map(Number);
  if (!y || !m) return "the end of the month";
  return new Date(Date.UTC(y, m, 0)).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
}

/** "Dec 1, 2026" */
export function resetDateLabel(iso: string): string {
  return new Date(iso).toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
}

/** A call's time to the second, UTC: "22 Nov 2026, 14:03:07". */
export function callTime(iso: string): string {
  return new Date(iso).toLocaleString("en-GB", {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    timeZone: "UTC",
  });
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** "12.5%" (one decimal under 10 %), "—" when there were no calls. */
export function errorRate(errors: number, calls: number): string {
  if (calls <= 0) return "—";
  const pct = (errors / calls) * 100;
  if (pct === 0) return "0%";
  return `${pct < 10 ? pct.toFixed(1) : Math.round(pct)}%`;
}

export function statusClassOf(status: number | null): StatusClass | null {
  if (status === null) return null;
  if (status >= 500) return "server_error";
  if (status >= 400) return "client_error";
  return "success";
}

/* Chart data -------------------------------------------------------------- */

export interface ChartSeries {
  /** Property of each row holding this series' calls. */
  id: string;
  name: string;
  color: string;
}

export type ChartRow = { day: string; total: number } & Record<string, number | string>;

export interface ChartData {
  rows: ChartRow[];
  series: ChartSeries[];
}

/** The range's days, from the API's `from` to today (UTC, by the server's clock): gaps become zero. */
export function rangeDays(summary: Pick<UsageSummary, "from" | "as_of">): string[] {
  return daysBetween(summary.from, summary.as_of.slice(0, 10));
}

function emptyRows(days: string[], series: ChartSeries[]): ChartRow[] {
  return days.map((day) => {
    const row: ChartRow = { day, total: 0 };
    for (const s of series) row[s.id] = 0;
    return row;
  });
}

function fill(days: string[], series: ChartSeries[], points: { day: string; id: string; calls: number }[]): ChartRow[] {
  const rows = emptyRows(days, series);
  const index = new Map(rows.map((r) => [r.day, r]));
  for (const p of points) {
    const row = index.get(p.day);
    if (!row) continue;
    row[p.id] = (Number(row[p.id]) || 0) + p.calls;
    row.total += p.calls;
  }
  return rows;
}

/**
 * Daily calls, one series per key that had calls in the range (in the keys' creation order).
 * Generations of one name are told apart in the legend (generationName).
 */
export function callsByKey(summary: Pick<UsageSummary, "from" | "as_of" | "daily" | "keys">): ChartData {
  const used = new Set(summary.daily.filter((d) => d.calls > 0).map((d) => d.key_id));
  const known = summary.keys.filter((k) => used.has(k.id));
  const unknown = [...used].filter((id) => !summary.keys.some((k) => k.id === id));
  const series: ChartSeries[] = [
    ...known.map((k) => ({ id: k.id, name: generationName(k, summary.keys) })),
    ...unknown.map((id) => ({ id, name: `Key ${id.slice(0, 8)}` })),
  ].map((s, i) => ({ ...s, color: keyColor(i) }));
  return { series, rows: fill(rangeDays(summary), series, summary.daily.map((d) => ({ day: d.day, id: d.key_id, calls: d.calls }))) };
}

/** Daily calls split into success, client errors and server errors. */
export function callsByStatus(summary: Pick<UsageSummary, "from" | "as_of" | "daily">): ChartData {
  const series: ChartSeries[] = (["success", "client_error", "server_error"] as const).map((c) => ({
    id: c,
    name: STATUS_LABEL[c],
    color: STATUS_COLOR[c],
  }));
  return { series, rows: fill(rangeDays(summary), series, summary.daily.map((d) => ({ day: d.day, id: d.status_class, calls: d.calls }))) };
}

/**
 * Per key over the range, busiest first: attempts, admitted and refused (lib/usage/definitions.ts;
 * admitted comes from the server, which knows the refusal codes), and errors (answers other than
 * success, refusals included).
 */
export function keyTotals(summary: Pick<UsageSummary, "daily" | "keys">) {
  const totals = new Map<string, { attempts: number; errors: number }>();
  for (const d of summary.daily) {
    const t = totals.get(d.key_id) ?? { attempts: 0, errors: 0 };
    t.attempts += d.calls;
    if (d.status_class !== "success") t.errors += d.calls;
    totals.set(d.key_id, t);
  }
  return summary.keys
    .map((k) => {
      const t = totals.get(k.id) ?? { attempts: 0, errors: 0 };
      return { ...k, attempts: t.attempts, admitted: k.admitted, refused: t.attempts - k.admitted, errors: t.errors };
    })
    .filter((k) => k.attempts > 0)
    .sort((a, b) => b.attempts - a.attempts);
}
