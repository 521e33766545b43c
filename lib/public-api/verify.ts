import "server-only";
import type { Queryable } from "@/lib/db/types";
import type { PublicErrorCode } from "@/lib/errors";
import { planLimitsForSql } from "@/lib/plans";
import { REFUSAL_CODES } from "@/lib/usage/definitions";

/** What verify_api_call answers in `outcome` (its refusals are the `v_code` values it sets). */
export const VERIFY_OUTCOMES = ["ok", ...REFUSAL_CODES] as const;
export type VerifyOutcome = (typeof VERIFY_OUTCOMES)[number];
export type Refusal = Exclude<VerifyOutcome, "ok">;

/**
 * The public error code a refusal answers with: each refusal is its own code (a spent use cap
 * answers usage_exhausted since issue 13; it used to borrow quota_exceeded).
 */
export function refusalCode(outcome: Refusal): PublicErrorCode {
  return outcome;
}

/** Every code a keyed endpoint may refuse with, in the contract's order: no key, then verify_api_call's refusals. */
export const KEY_REFUSALS: readonly PublicErrorCode[] = [
  "missing_api_key",
  ...new Set(VERIFY_OUTCOMES.filter((o): o is Refusal => o !== "ok").map(refusalCode)),
];

/** A call the key, its limits and the team's quota let through: every field is known. */
export interface AdmittedCall {
  outcome: "ok";
  /** The call-log row, completed after the handler answers. */
  call_id: number;
  key_id: string;
  key_name: string;
  key_prefix: string;
  key_last4: string;
  key_scopes: string[];
  key_expires_at: Date | null;
  team_id: string;
  team_name: string;
  team_plan: string;
  rate_limit: number;
  rate_remaining: number;
  rate_reset_at: Date;
  quota_limit: number;
  quota_used: number;
  quota_resets_at: Date;
  overage: boolean;
}

/**
 * A refused call. An unknown key leaves every field null; a recognised one fills them, so the
 * refusal still carries the rate-limit and quota headers.
 */
export type RefusedCall = { outcome: Refusal } & {
  [K in Exclude<keyof AdmittedCall, "outcome">]: AdmittedCall[K] | null;
};

/** What verify_api_call answers: admitted or refused, told apart by `outcome`. */
export type VerifiedCall = AdmittedCall | RefusedCall;

export interface VerifyRequest {
  keyHash: string;
  endpoint: string;
  method: string;
  /** Null: any valid key will do (verify_api_call's `not (null = any (scopes))` is null, so no refusal). */
  scope: string | null;
  ip: string;
  userAgent: string;
  metered: boolean;
  requestId: string;
  /**
   * The status an admitted call will answer, when the endpoint knows it before its handler runs
   * (`logOnce`): written into the call-log row by the verification. Null: the completion batch
   * writes it (lib/public-api/call-log.ts).
   */
  knownStatus?: number | null;
}

// The plan table changes only with a deploy; serialise it once.
const plans = planLimitsForSql();

// One JSON text column instead of eighteen typed ones: the driver's per-column parsing (dates,
// arrays, uuids) cost about 10 µs of the app's single thread per call, a JSON.parse less.
export const VERIFY_SQL = "select row_to_json(v)::text as j from public.verify_api_call($1, $2, $3, $4, $5::inet, $6, $7, $8::jsonb, $9, $10::smallint) v";

type VerifiedJson = Omit<RefusedCall | (Omit<AdmittedCall, "outcome"> & { outcome: VerifyOutcome }), "key_expires_at" | "rate_reset_at" | "quota_resets_at"> & {
  key_expires_at: string | null;
  rate_reset_at: string | null;
  quota_resets_at: string | null;
};

const toDate = (s: string | null) => (s === null ? null : new Date(s));

/** The hot path's one round trip: verification, limits, counters and the call-log row. */
export async function verifyCall(db: Queryable, r: VerifyRequest): Promise<VerifiedCall> {
  const { rows } = await db.query<{ j: string }>(
    VERIFY_SQL,
    [r.keyHash, r.endpoint, r.method, r.scope, r.ip, r.userAgent, r.metered, plans, r.requestId, r.knownStatus ?? null],
    "llavero_verify_api_call",
  );
  const v = JSON.parse(rows[0]!.j) as VerifiedJson;
  // On "ok" the SQL fills every field but key_expires_at (verify_api_call in the public_api migration).
  return { ...v, key_expires_at: toDate(v.key_expires_at), rate_reset_at: toDate(v.rate_reset_at), quota_resets_at: toDate(v.quota_resets_at) } as VerifiedCall;
}
