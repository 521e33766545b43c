"use client";

import { useId, type ReactNode } from "react";
import { CheckboxField, TextAreaField, TextField } from "@/components/ui/field";
import { formatNumber } from "@/lib/format";
import { expiryBounds, type FieldErrors } from "./key-form";
import { KEY_SCOPES, MANAGE_SCOPE } from "@/lib/keys/key-input.schema";

const SCOPE_HINTS: Record<(typeof KEY_SCOPES)[number], string> = {
  ping: "Check that the API and the key work",
  validate: "Validate RFCs",
  "audit:read": "Read stored audits",
  "audit:write": "Run new audits",
  "keys:manage":
    "Lets whoever holds this key create, list, edit, disable, rotate and revoke this team's API keys through the API, acting as you " +
    "(the keys you can see and change here). Keys it creates can have no scope it lacks itself. Keep it as safe as your password.",
};
const MANAGE_MEMBER_HINT = "Only team owners and admins can give a key this scope.";

/** One message as text, several one per line (e.g. one per bad allowlist line). Fields render it in a <p>. */
export function errorNode(messages: string[] | undefined): ReactNode {
  if (!messages || messages.length === 0) return undefined;
  if (messages.length === 1) return messages[0];
  return messages.map((m, i) => (
    <span key={i} className="block">
      {m}
    </span>
  ));
}

/** A message for the whole form (e.g. the plan's key limit), announced when it appears. */
export function FormError({ messages }: { messages: string[] | undefined }) {
  if (!messages || messages.length === 0) return null;
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-300">
      {errorNode(messages)}
    </div>
  );
}

export interface SettingsDefaults {
  description: string;
  expiresOn: string;
  scopes: readonly string[];
  rate: number;
  allowlist: readonly string[];
  useCap: number | null;
}

export interface KeySettingsFieldsProps {
  defaults: SettingsDefaults;
  errors: FieldErrors;
  rateCeiling: number;
  planName: string;
  /** Owners and admins may give keys:manage; a member sees it disabled (or may keep it on a key that has it). */
  canGrantManage: boolean;
}

/** Description, expiry, scopes, rate limit, IP allowlist and use cap: shared by create and edit. */
export function KeySettingsFields({ defaults, errors, rateCeiling, planName, canGrantManage }: KeySettingsFieldsProps) {
  const scopesErrorId = useId();
  const { min, max } = expiryBounds();
  return (
    <>
      <TextAreaField label="Description" name="description" rows={2} maxLength={500} defaultValue={defaults.description} hint="Optional. Where or what the key is for." error={errorNode(errors.description)} />
      <TextField
        label="Expires on"
        name="expires_on"
        type="date"
        min={min}
        max={max}
        defaultValue={defaults.expiresOn}
        hint="Optional. Leave empty for a key that never expires. It stops working at 23:59 UTC that day; at most 365 days ahead."
        error={errorNode(errors.expires_on)}
      />
      <fieldset aria-describedby={errors.scopes ? scopesErrorId : undefined} className="space-y-2">
        <legend className="mb-2 text-sm font-medium text-zinc-900 dark:text-zinc-100">Scopes</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {KEY_SCOPES.map((scope) => {
            const locked = scope === MANAGE_SCOPE && !canGrantManage && !defaults.scopes.includes(scope);
            return (
              <CheckboxField
                key={scope}
                className={scope === MANAGE_SCOPE ? "sm:col-span-2" : undefined}
                label={<code className="font-mono">{scope}</code>}
                hint={locked ? `${SCOPE_HINTS[scope]} ${MANAGE_MEMBER_HINT}` : SCOPE_HINTS[scope]}
                name="scopes"
                value={scope}
                disabled={locked}
                defaultChecked={defaults.scopes.includes(scope)}
              />
            );
          })}
        </div>
        {errors.scopes ? (
          <p id={scopesErrorId} className="text-sm text-red-600 dark:text-red-400">
            {errors.scopes.join(" ")}
          </p>
        ) : null}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Rate limit per minute"
          name="rate_limit_per_minute"
          type="number"
          inputMode="numeric"
          min={1}
          max={rateCeiling}
          step={1}
          defaultValue={defaults.rate}
          hint={`Up to ${formatNumber(rateCeiling)} on the ${planName} plan.`}
          error={errorNode(errors.rate_limit_per_minute)}
        />
        <TextField
          label="Total-use cap"
          name="use_cap"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          defaultValue={defaults.useCap ?? ""}
          hint="Optional. The key stops working after this many calls."
          error={errorNode(errors.use_cap)}
        />
      </div>
      <TextAreaField
        label="IP allowlist"
        name="ip_allowlist"
        rows={3}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        controlClassName="font-mono"
        defaultValue={defaults.allowlist.join("\n")}
        placeholder={"203.0.113.7\n198.51.100.0/24\n2001:db8::/32"}
        hint="Optional. One IPv4/IPv6 address or CIDR range per line. Empty allows every IP."
        error={errorNode(errors.ip_allowlist)}
      />
    </>
  );
}
