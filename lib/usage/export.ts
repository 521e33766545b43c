import "server-only";
import { asUser } from "@/lib/db/as-user";
import { wasAdmitted } from "./definitions";
import { describeCall } from "./describe-call";
import { callHistoryPage, type Viewer } from "./queries";
import type { CallRow, HistoryQuery } from "./usage.schema";

const BATCH = 2_000;
/** One row per attempt (lib/usage/definitions.ts); `admitted` is yes or no, so the rows add up to the pages' figures. */
export const CSV_COLUMNS = ["time", "endpoint", "method", "status", "error_code", "admitted", "latency_ms", "ip", "summary"] as const;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  // Quote everything that could break a row, and defuse spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV line; the summary column is the same readable text as the history table's (describeCall). */
export function csvRow(c: CallRow): string {
  const summary = c.summary ? describeCall(c) : "";
  const admitted = wasAdmitted(c.error_code) ? "yes" : "no";
  return [c.created_at, c.endpoint, c.method, c.status, c.error_code, admitted, c.latency_ms, c.ip, summary === "—" ? "" : summary].map(csvCell).join(",") + "\n";
}

/**
 * The download's file name: `<key name>-calls-<YYYY-MM-DD>.csv`, the name reduced to letters,
 * digits, dots, dashes and underscores (a header value must not carry quotes or line breaks).
 */
export function exportFileName(keyName: string, now: Date = new Date()): string {
  const safe = keyName.normalize("NFKD").replace(/[^\w.-]+/g, "-").replace(/-+/g, "-").replace(/^[-.]+|[-.]+$/g, "").slice(0, 60);
  return `${safe || "key"}-calls-${now.toISOString().slice(0, 10)}.csv`;
}

/** The key's name as the viewer may see it (RLS), or null when it is not theirs to see. */
export async function keyNameOf(v: Viewer, keyId: string): Promise<string | null> {
  return asUser(v.userId, async (tx) => {
    const { rows } = await tx.query<{ name: string }>("select name from public.api_keys where id = $1 and team_id = $2", [keyId, v.teamId]);
    return rows[0]?.name ?? null;
  });
}

/**
 * Streams the filtered history as CSV in batches, each its own short transaction, so memory
 * stays flat however many rows match; the consumer's pace sets ours (pull-based stream).
 */
export function exportCallsCsv(v: Viewer, keyId: string, filters: Omit<HistoryQuery, "cursor" | "limit">): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(CSV_COLUMNS.join(",") + "\n"));
        return;
      }
      if (done) {
        controller.close();
        return;
      }
      const page = await asUser(v.userId, (tx) => callHistoryPage(tx, keyId, { ...filters, cursor, limit: BATCH }));
      controller.enqueue(encoder.encode(page.calls.map(csvRow).join("")));
      cursor = page.next_cursor ?? undefined;
      if (!cursor) done = true;
    },
  });
}
