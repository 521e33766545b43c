import Link from "next/link";
import { TD, TR } from "@/components/ui/table";
import { formatDate, formatDateTime, formatNumber } from "@/lib/format";
import type { KeyView } from "@/lib/keys/key-view.schema";
import { KeyActionsMenu } from "./key-actions-menu";
import { allowedActions, maskedKey, type KeyAction, type Viewer } from "./key-permissions";
import { KeyStatusCell } from "./key-status";
import { rateLimitText } from "./key-status-text";

const sub = "block text-xs text-zinc-500 dark:text-zinc-400";

/** "14:05 UTC": the date is on the line above. */
const formatTime = (iso: string) => formatDateTime(iso).replace(/^.*, /, "");

/** Header text → class. The actions column has a screen-reader-only header. */
export const KEY_COLUMNS = [
  ["Key", undefined],
  ["Status", undefined],
  ["Created", undefined],
  ["Last used", undefined],
  // Admitted calls (lib/usage/definitions.ts), the figure the key page and usage page show too.
  ["Admitted calls", "text-right"],
  ["Expires", undefined],
] as const;

export interface KeyRowProps {
  keyView: KeyView;
  /** Name for labels, e.g. "Production" or "Production (ending wXyZ)". */
  label: string;
  viewer: Viewer;
  byId: ReadonlyMap<string, KeyView>;
  onSelect: (key: KeyView, action: KeyAction) => void;
  busy: boolean;
}

export function KeyRow({ keyView: key, label, viewer, byId, onSelect, busy }: KeyRowProps) {
  const actions = allowedActions(key, viewer);
  const mine = key.created_by === viewer.user_id;
  return (
    <TR data-testid="key-row" data-key-id={key.id} className={key.status === "revoked" ? "[&_td]:opacity-70" : undefined}>
      <TD className="max-w-72 min-w-48">
        <Link
          href={`/keys/${key.id}`}
          className="block font-medium break-words text-zinc-900 underline-offset-2 hover:underline dark:text-zinc-100"
        >
          {key.name}
        </Link>
        {key.replaced_by_id ? <span className={sub}>previous generation</span> : null}
        <code className="block font-mono text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-300">{maskedKey(key)}</code>
        <span className={sub} data-testid="key-rate">
          {rateLimitText(key)}
        </span>
        {key.description ? (
          <span className={`${sub} mt-0.5 line-clamp-2`} title={key.description}>
            {key.description}
          </span>
        ) : null}
      </TD>
      <TD className="min-w-40">
        <KeyStatusCell keyView={key} byId={byId} />
      </TD>
      <TD className="max-w-48">
        <span className="block whitespace-nowrap">{formatDate(key.created_at)}</span>
        <span className={`${sub} truncate`} title={key.creator_email ?? undefined}>
          by {mine ? "you" : (key.creator_email ?? "a former member")}
        </span>
      </TD>
      <TD className="whitespace-nowrap">
        {key.last_used_at ? (
          <>
            <span className="block">{formatDate(key.last_used_at)}</span>
            <span className={sub}>{formatTime(key.last_used_at)}</span>
            {key.last_used_ip ? <span className={`${sub} font-mono`}>{key.last_used_ip}</span> : null}
          </>
        ) : (
          <span className="text-zinc-500 dark:text-zinc-400">Never</span>
        )}
      </TD>
      <TD className="text-right whitespace-nowrap tabular-nums">
        <span className="block" data-testid="key-admitted-month">
          {formatNumber(key.calls_this_month)} this month
        </span>
        <span className={sub}>{formatNumber(key.calls_total)} total</span>
      </TD>
      <TD className="whitespace-nowrap">
        {/* The effective end of life: a rotated key dies when its grace ends, even if it would expire later. */}
        {key.ends_at ? (
          <>
            <span className="block">{formatDate(key.ends_at)}</span>
            {key.grace_until && key.ends_at === key.grace_until ? <span className={sub}>grace ends {formatTime(key.ends_at)}</span> : null}
          </>
        ) : (
          <span className="text-zinc-500 dark:text-zinc-400">Never</span>
        )}
      </TD>
      {/* Sticky on the right: on a narrow screen the actions stay in view while the row scrolls. */}
      <TD className="sticky right-0 w-12 bg-white text-right dark:bg-zinc-900">
        {actions.length > 0 ? <KeyActionsMenu label={label} actions={actions} busy={busy} onSelect={(action) => onSelect(key, action)} /> : null}
      </TD>
    </TR>
  );
}
