/**
 * What each call count means (issue 13, item 3). One word, one definition, wherever a figure is
 * shown: the keys table, the key page, the usage page, billing, the CSV export, the public API's
 * answers and the API page. The pages take their labels and explanations from here, and
 * docs/decisions.md ("One meaning per number") repeats the table.
 *
 * Sources, for each word:
 * - attempts: rows of the call log (`api_calls`, rolled up into `usage_daily`). Every call made
 *   with a key the server recognised writes one row, admitted or refused. A call with no key or
 *   an unknown key belongs to no team and is not counted anywhere.
 * - admitted: attempts that passed verification (key state, IP, scope, rate limit, use cap and
 *   monthly quota): `api_calls.admitted`; in the rollup, rows whose error code is not one of
 *   verify_api_call's refusals ({@link REFUSAL_CODES}). A key's `uses_total`/`uses_month`
 *   (the list's "calls_total"/"calls_this_month") count exactly these; so does the use cap.
 *   An admitted call may still answer 4xx (a malformed body): it counted.
 * - refused: attempts − admitted; they answered 401/403/429 and did not count.
 * - metered: admitted calls to a metered endpoint (everything but ping, me, the key-management
 *   and billing endpoints and the audit status check): `api_calls.metered`, summed per team and
 *   calendar month (UTC) in `team_usage.calls`. This is what the monthly quota counts
 *   (`quota_used` in the API, `X-Quota-Remaining`).
 * - overage: metered calls admitted when the team had already used its monthly quota under the
 *   plan in force at the time of that call (`team_usage.overage`, counted by verify_api_call per
 *   call and never recomputed). A later plan change does not turn earlier calls into overage.
 * - included: metered − overage: the calls this month that were within the quota when made.
 */

export const COUNT_WORDS = ["attempts", "admitted", "refused", "metered", "overage", "included"] as const;
export type CountWord = (typeof COUNT_WORDS)[number];

/** The label and one-sentence definition shown next to each figure. */
export const COUNT_DEFINITIONS: Record<CountWord, { label: string; definition: string }> = {
  attempts: {
    label: "Attempts",
    definition: "Every call made with a recognised key, admitted or refused.",
  },
  admitted: {
    label: "Admitted",
    definition: "Calls that passed the key, scope, rate-limit, use-cap and quota checks. They count against a key's use cap.",
  },
  refused: {
    label: "Refused",
    definition: "Calls refused before the endpoint ran (invalid or expired key, IP, scope, rate limit, use cap, quota). They count nowhere.",
  },
  metered: {
    label: "Metered",
    definition: "Admitted calls to metered endpoints (validate, audit). They count against the team's monthly quota; pings and status checks do not.",
  },
  overage: {
    label: "Overage",
    definition: "Metered calls admitted after the monthly quota of the plan in force at that moment was used up.",
  },
  included: {
    label: "Within quota",
    definition: "Metered calls admitted while the plan in force at that moment still had quota left.",
  },
};

/**
 * verify_api_call's refusal codes (lib/public-api/verify.ts VERIFY_OUTCOMES minus "ok"): a
 * call-log row carrying one of these was refused; any other row was admitted. Defined here (not
 * in lib/public-api/verify.ts, which builds VERIFY_OUTCOMES from it) so client components can import it.
 */
export const REFUSAL_CODES = [
  "invalid_api_key",
  "key_expired",
  "key_disabled",
  "ip_not_allowed",
  "insufficient_scope",
  "usage_exhausted",
  "rate_limited",
  "quota_exceeded",
] as const;

/** Whether a call-log row with this error code was admitted (see {@link REFUSAL_CODES}). */
export function wasAdmitted(errorCode: string | null | undefined): boolean {
  return !errorCode || !(REFUSAL_CODES as readonly string[]).includes(errorCode);
}

/** This month's metered calls split into the part within quota and the overage. */
export function splitMetered(metered: number, overage: number): { included: number; overage: number } {
  return { included: Math.max(0, metered - overage), overage };
}
