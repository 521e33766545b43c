import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { CallRow, StatusClass } from "@/lib/usage/usage.schema";
import { callTime, describeCall, STATUS_LABEL, statusClassOf } from "./usage-format";

const TONE: Record<StatusClass, BadgeTone> = { success: "success", client_error: "warning", server_error: "danger" };
const muted = "text-zinc-500 dark:text-zinc-400";

function StatusBadge({ status }: { status: number | null }) {
  const cls = statusClassOf(status);
  if (!cls) return <Badge tone="neutral">in progress</Badge>;
  return (
    // relative: keeps the sr-only text inside the table's scroll area (it would widen the page).
    <Badge tone={TONE[cls]} title={STATUS_LABEL[cls]} className="relative">
      {status}
      <span className="sr-only"> ({STATUS_LABEL[cls].toLowerCase()})</span>
    </Badge>
  );
}

/** A key's calls, newest first. Secret-free: the summary is what the API chose to log. */
export function CallHistoryTable({ calls, caption }: { calls: CallRow[]; caption: string }) {
  return (
    <Table caption={caption} className="[&_td]:px-3 [&_th]:px-3">
      <THead>
        <TR>
          <TH>Time (UTC)</TH>
          <TH>Endpoint</TH>
          <TH>Status</TH>
          <TH className="text-right">Latency (ms)</TH>
          <TH>IP</TH>
          <TH>Summary</TH>
        </TR>
      </THead>
      <TBody>
        {calls.map((c) => (
          <TR key={c.id} data-testid="call-row">
            <TD className="whitespace-nowrap tabular-nums">
              <time dateTime={c.created_at}>{callTime(c.created_at)}</time>
            </TD>
            <TD>
              <span className={`mr-1.5 font-mono text-xs ${muted}`}>{c.method}</span>
              {/* Wide screens: may wrap (anywhere, only when it must), or a long path would push Summary out of a
                  1280 px window. Phones: one line; the table scrolls sideways instead of breaking "/ap i/publi c". */}
              <span className="font-mono text-xs whitespace-nowrap text-zinc-900 sm:whitespace-normal sm:[overflow-wrap:anywhere] dark:text-zinc-100">
                {c.endpoint}
              </span>
            </TD>
            <TD className="whitespace-nowrap">
              {/* The error code under its status: one column fewer, so the table fits at 1280 px (issue 13 item 8). */}
              <StatusBadge status={c.status} />
              {c.error_code ? <code className="mt-1 block font-mono text-xs">{c.error_code}</code> : null}
            </TD>
            <TD className="text-right tabular-nums">{c.latency_ms ?? <span className={muted}>—</span>}</TD>
            <TD className="font-mono text-xs whitespace-nowrap sm:whitespace-normal sm:[overflow-wrap:anywhere]">{c.ip ?? <span className={muted}>—</span>}</TD>
            {/* Phones: wide enough that a summary takes two or three lines, not one word per line. */}
            <TD className="min-w-40 max-sm:min-w-60">{describeCall(c)}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
