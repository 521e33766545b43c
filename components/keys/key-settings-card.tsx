"use client";

import { COUNT_DEFINITIONS } from "@/lib/usage/definitions";
import Link from "next/link";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { formatDateTime, formatNumber } from "@/lib/format";
import type { KeyView } from "@/lib/keys/key-view.schema";
import { allowedActions, maskedKey, type KeyAction, type Viewer } from "./key-permissions";
import { keyStatusText, rateLimitText } from "./key-status-text";

const muted = "text-zinc-500 dark:text-zinc-400";
const link = "font-medium text-accent-700 underline-offset-2 hover:underline dark:text-accent-300";

const ACTION_TEXT: Record<KeyAction, string> = {
  rename: "Rename",
  edit: "Edit settings",
  rotate: "Rotate",
  disable: "Disable",
  enable: "Enable",
  revoke: "Revoke",
};

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 py-3 sm:grid-cols-[12rem_1fr] sm:gap-4">
      <dt className="text-sm font-medium text-zinc-600 dark:text-zinc-400">{term}</dt>
      <dd className="min-w-0 text-sm break-words text-zinc-900 dark:text-zinc-100">{children}</dd>
    </div>
  );
}

function KeyLink({ keyView }: { keyView: KeyView | undefined }) {
  if (!keyView) return <span className={muted}>a key you cannot see</span>;
  return (
    <Link href={`/keys/${keyView.id}`} className={link}>
      {keyView.name} <code className="font-mono text-xs">{maskedKey(keyView)}</code>
    </Link>
  );
}

export interface KeySettingsCardProps {
  keyView: KeyView;
  byId: ReadonlyMap<string, KeyView>;
  viewer: Viewer;
  /** The key's accessible label (name, plus last 4 when another key shares it). */
  label: string;
  onSelect: (action: KeyAction) => void;
  busy: boolean;
}

/**
 * A key's settings as they are in force — scopes, rate limit (chosen and enforced), use cap and
 * uses left, IP allowlist, end of life, rotation links, creator, last use — and the actions the
 * viewer may take, opening the same dialogs as the keys list.
 */
export function KeySettingsCard({ keyView: key, byId, viewer, label, onSelect, busy }: KeySettingsCardProps) {
  const actions = allowedActions(key, viewer);
  const usesLeft = key.use_cap === null ? null : Math.max(0, key.use_cap - key.calls_total);
  const graceEnds = key.grace_until !== null && key.ends_at === key.grace_until;
  return (
    <Card>
      <CardHeader
        title="Settings"
        description="What this key may do and what the API enforces now."
        actions={
          actions.length > 0 ? (
            <div className="flex flex-wrap gap-2" role="group" aria-label={`Actions for ${label}`}>
              {actions.map((a) => (
                <Button
                  key={a}
                  size="sm"
                  variant={a === "revoke" ? "danger" : "secondary"}
                  aria-label={`${ACTION_TEXT[a]} ${label}`}
                  loading={busy && a === "enable"}
                  onClick={() => onSelect(a)}
                >
                  {ACTION_TEXT[a]}
                </Button>
              ))}
            </div>
          ) : null
        }
      />
      <CardBody className="py-2">
        <dl className="divide-y divide-zinc-200 dark:divide-zinc-800" data-testid="key-settings">
          <Row term="Status">{keyStatusText(key)}</Row>
          <Row term="Scopes">{key.scopes.length > 0 ? key.scopes.join(", ") : <span className={muted}>None</span>}</Row>
          <Row term="Rate limit">
            <span className="block">{rateLimitText(key)}</span>
            <span className={`block text-xs ${muted}`}>Enforced: {formatNumber(key.rate_limit_enforced)} requests per minute</span>
          </Row>
          <Row term="Use cap">
            {key.use_cap === null ? (
              <span className={muted}>No cap</span>
            ) : (
              `${formatNumber(key.use_cap)} calls · ${formatNumber(usesLeft ?? 0)} left (${formatNumber(key.calls_total)} used)`
            )}
          </Row>
          {/* The keys table's figure, with the same word (lib/usage/definitions.ts): admitted calls. */}
          <Row term="Admitted calls">
            <span className="block" data-testid="key-page-admitted-month" title={COUNT_DEFINITIONS.admitted.definition}>
              {formatNumber(key.calls_this_month)} this month
            </span>
            <span className={`block text-xs ${muted}`}>
              {formatNumber(key.calls_total)} in total. {COUNT_DEFINITIONS.admitted.definition}
            </span>
          </Row>
          <Row term="IP allowlist">
            {key.ip_allowlist.length > 0 ? <span className="font-mono">{key.ip_allowlist.join(", ")}</span> : <span className={muted}>Any address</span>}
          </Row>
          <Row term="Stops working">
            {key.ends_at ? (
              <>
                {formatDateTime(key.ends_at)}
                {graceEnds ? <span className={`block text-xs ${muted}`}>when its rotation grace period ends</span> : null}
              </>
            ) : (
              <span className={muted}>Never (no expiry)</span>
            )}
          </Row>
          {key.rotated_from_id || key.replaced_by_id ? (
            <Row term="Rotation">
              {key.rotated_from_id ? (
                <span className="block">
                  Replaces <KeyLink keyView={byId.get(key.rotated_from_id)} />
                </span>
              ) : null}
              {key.replaced_by_id ? (
                <span className="block">
                  Replaced by <KeyLink keyView={byId.get(key.replaced_by_id)} />
                  {key.grace_until ? ` · grace ends ${formatDateTime(key.grace_until)}` : null}
                </span>
              ) : null}
            </Row>
          ) : null}
          <Row term="Created">
            {formatDateTime(key.created_at)} by {key.created_by === viewer.user_id ? "you" : (key.creator_email ?? "a former member")}
          </Row>
          <Row term="Last used">
            {key.last_used_at ? (
              <>
                {formatDateTime(key.last_used_at)}
                {key.last_used_ip ? <span className="font-mono"> from {key.last_used_ip}</span> : null}
              </>
            ) : (
              <span className={muted}>Never</span>
            )}
          </Row>
        </dl>
      </CardBody>
    </Card>
  );
}
