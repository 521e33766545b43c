import { MAX_EXPIRY_DAYS } from "@/lib/keys/key-input.schema";
import type { ApiErrorDetail } from "@/lib/client/api-client";

/** Field name → messages. "form" holds errors that belong to no single field. */
export type FieldErrors = Partial<Record<string, string[]>>;

const DAY_MS = 86_400_000;

/** What the settings fields hold, read from the form before zod sees it. */
export interface SettingsValues {
  description: string;
  /** "YYYY-MM-DD" from <input type="date">, "" for never. */
  expiresOn: string;
  scopes: string[];
  rate_limit_per_minute: number | undefined;
  ip_allowlist: string[];
  use_cap: number | null;
}

export interface ReadSettings {
  values: SettingsValues;
  /** ip_allowlist[i] came from textarea line lineOf[i] (0-based); blank lines are skipped. */
  lineOf: number[];
  errors: FieldErrors;
}

/** UTC calendar date, "YYYY-MM-DD". */
export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Bounds for the date input: today (UTC) to 365 days ahead. */
export function expiryBounds(now = new Date()): { min: string; max: string } {
  return { min: utcDay(now), max: utcDay(new Date(now.getTime() + MAX_EXPIRY_DAYS * DAY_MS)) };
}

/**
 * End of the chosen day in UTC, as the schema wants it (ISO with Z). The last allowed day is
 * clamped to just inside the 365-day window, so picking the max date never fails.
 */
export function expiryIso(day: string, now = new Date()): string {
  const endOfDay = Date.parse(`${day}T23:59:59Z`);
  if (Number.isNaN(endOfDay)) return day; // zod reports the bad value
  const latest = now.getTime() + MAX_EXPIRY_DAYS * DAY_MS - 60_000;
  return new Date(Math.min(endOfDay, latest)).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function readNumber(form: FormData, name: string, errors: FieldErrors): number | undefined {
  const raw = String(form.get(name) ?? "").trim();
  if (raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) {
    errors[name] = ["Enter a whole number."];
    return undefined;
  }
  return n;
}

export function readSettings(form: FormData): ReadSettings {
  const errors: FieldErrors = {};
  const lineOf: number[] = [];
  const ip_allowlist: string[] = [];
  String(form.get("ip_allowlist") ?? "")
    .split(/\r?\n/)
    .forEach((line, index) => {
      if (line.trim() === "") return;
      ip_allowlist.push(line.trim());
      lineOf.push(index);
    });
  const values: SettingsValues = {
    description: String(form.get("description") ?? ""),
    expiresOn: String(form.get("expires_on") ?? "").trim(),
    scopes: form.getAll("scopes").map(String),
    rate_limit_per_minute: readNumber(form, "rate_limit_per_minute", errors),
    ip_allowlist,
    use_cap: readNumber(form, "use_cap", errors) ?? null,
  };
  return { values, lineOf, errors };
}

/** The plan ceiling is checked by the server only; check it here too, with the server's wording. */
export function checkCeiling(rate: number | undefined, ceiling: number, planName: string, errors: FieldErrors) {
  if (rate !== undefined && rate > ceiling && !errors.rate_limit_per_minute) {
    errors.rate_limit_per_minute = [`At most ${ceiling} on the ${planName} plan.`];
  }
}

/**
 * Zod issues (client) or envelope details (server) → field errors. `expires_at` is shown under
 * the date field; allowlist entries are reported by textarea line number.
 */
export function toFieldErrors(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey> | string; message: string }>, lineOf: number[] = []): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const parts = typeof issue.path === "string" ? (issue.path === "(body)" ? [] : issue.path.split(".")) : issue.path.map(String);
    let field = parts[0] ?? "form";
    let message = issue.message;
    if (field === "expires_at") field = "expires_on";
    if (field === "ip_allowlist" && parts[1] !== undefined) {
      const index = Number(parts[1]);
      const line = lineOf[index] ?? index;
      message = `Line ${line + 1}: ${message}`;
    }
    (errors[field] ??= []).push(message);
  }
  return errors;
}

export function detailsToFieldErrors(details: ApiErrorDetail[], lineOf: number[] = []): FieldErrors {
  return toFieldErrors(details, lineOf);
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.values(errors).some((m) => m && m.length > 0);
}

/** After a failed submit, move focus to the first invalid control (or the form's alert). */
export function focusFirstInvalid(form: HTMLFormElement | null) {
  window.requestAnimationFrame(() => {
    const target = form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>('[role="alert"]');
    if (!target) return;
    if (target.getAttribute("role") === "alert" && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  });
}
