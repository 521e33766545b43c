import "server-only";
import { createHash, hkdfSync } from "node:crypto";
import { gcmOpen, gcmSeal } from "@/lib/crypto/seal";
import type { Database, Queryable } from "@/lib/db/types";
import { AppError, toAppError, type ErrorCode, type ErrorDetail } from "@/lib/errors";
import type { HandlerResult } from "./endpoint";

/**
 * Idempotency-Key, as Stripe has it: the first answer to a (calling key, Idempotency-Key) pair is
 * kept for 24 hours and replayed to retries; the same Idempotency-Key with another method, path
 * or body is a 400. The claim, the change and the stored answer share one transaction, so
 * concurrent retries queue on the claim's primary key and all but the first replay its answer:
 * one key is made. Answers of the endpoint's own rules (4xx) are stored too; a 500 or a refusal
 * before the handler (auth, validation) is not, so a retry runs afresh.
 *
 * A stored answer may hold a new key's secret, which the database must never hold in clear: it
 * is sealed with AES-256-GCM under a key derived from the calling API key's own secret and the
 * Idempotency-Key, so only a caller presenting both can read it back.
 */

import { IDEMPOTENCY_HEADER, IDEMPOTENCY_TTL_HOURS } from "./idempotency-header";

export { IDEMPOTENCY_HEADER, IDEMPOTENCY_TTL_HOURS };
const MAX_LENGTH = 255;

/** The header's value, or null when absent. Throws AppError invalid_request when empty, too long or not printable ASCII. */
export function idempotencyKeyOf(headers: Headers): string | null {
  const v = headers.get(IDEMPOTENCY_HEADER);
  if (v === null) return null;
  if (v.length === 0 || v.length > MAX_LENGTH || !/^[\x21-\x7e]+$/.test(v)) {
    throw new AppError("invalid_request", `${IDEMPOTENCY_HEADER} must be 1 to ${MAX_LENGTH} printable ASCII characters without spaces (a UUID, say).`, [
      { path: IDEMPOTENCY_HEADER, message: "Not a valid idempotency key." },
    ]);
  }
  return v;
}

/** SHA-256 hex of what makes two requests "the same": method, path and the body's bytes. */
export function requestHash(method: string, path: string, body: string): string {
  return createHash("sha256").update(`${method} ${path}\n${body}`).digest("hex");
}

type StoredAnswer = { ok: true; body: unknown; summary: Record<string, unknown> | null } | { ok: false; code: ErrorCode; message: string; details?: ErrorDetail[] };
interface Sealed {
  v: 1;
  iv: string;
  ct: string;
  tag: string;
}

function sealingKey(secret: string, idemKey: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, idemKey, "llavero idempotent answer v1", 32));
}

/** The answer sealed with lib/crypto/seal.ts under the key derived from `secret` and `idemKey`; stored as JSON `{v, iv, ct, tag}` (base64). */
export function seal(answer: StoredAnswer, secret: string, idemKey: string): Sealed {
  const p = gcmSeal(sealingKey(secret, idemKey), JSON.stringify(answer));
  return { v: 1, iv: p.iv.toString("base64"), ct: p.ciphertext.toString("base64"), tag: p.tag.toString("base64") };
}

/** The stored answer; throws SealError (lib/crypto/seal.ts) when `secret` or `idemKey` is not the pair that sealed it, or it was altered. */
export function unseal(sealed: Sealed, secret: string, idemKey: string): StoredAnswer {
  const key = sealingKey(secret, idemKey);
  const parts = { iv: Buffer.from(sealed.iv, "base64"), ciphertext: Buffer.from(sealed.ct, "base64"), tag: Buffer.from(sealed.tag, "base64") };
  return JSON.parse(gcmOpen(key, parts).toString("utf8")) as StoredAnswer;
}

export interface IdempotentRequest {
  /** The calling key's id and its secret as sent (the secret only seals the stored answer). */
  keyId: string;
  secret: string;
  idemKey: string;
  method: string;
  path: string;
  body: string;
  /** The endpoint's success status, stored beside the answer. */
  status: number;
}

const REPLAYED = { "idempotent-replayed": "true" };

function replay(answer: StoredAnswer): HandlerResult<unknown> {
  if (answer.ok) return { body: answer.body, summary: { ...answer.summary, idempotent_replay: true }, headers: REPLAYED };
  throw new AppError(answer.code, answer.message, answer.details, REPLAYED);
}

/**
 * Runs `handler(tx)` at most once per (key, Idempotency-Key) within 24 hours and answers what it
 * answered then. `tx` starts as the database owner; the handler may become a user in it (the
 * answer is stored after `reset role`). Throws what the handler throws (an AppError is stored
 * first), or AppError invalid_request when the Idempotency-Key was used for another request.
 */
export async function runIdempotent(db: Database, r: IdempotentRequest, handler: (tx: Queryable) => Promise<HandlerResult<unknown>>): Promise<HandlerResult<unknown>> {
  const hash = requestHash(r.method, r.path, r.body);
  const out = await db.transaction(async (tx): Promise<{ result: HandlerResult<unknown> } | { error: AppError }> => {
    await tx.query(`delete from public.api_idempotency where key_id = $1 and created_at < now() - make_interval(hours => $2)`, [r.keyId, IDEMPOTENCY_TTL_HOURS]);
    // A concurrent request with the same pair waits here until the first commits, then finds its row.
    const claimed = await tx.query(
      `insert into public.api_idempotency (key_id, idempotency_key, method, path, request_hash) values ($1, $2, $3, $4, $5)
       on conflict (key_id, idempotency_key) do nothing returning 1 as ok`,
      [r.keyId, r.idemKey, r.method, r.path, hash],
    );
    if (claimed.rows.length === 0) {
      const { rows } = await tx.query<{ request_hash: string; response_body: Sealed | null }>(
        "select request_hash, response_body from public.api_idempotency where key_id = $1 and idempotency_key = $2",
        [r.keyId, r.idemKey],
      );
      const row = rows[0];
      if (!row || !row.response_body) throw new AppError("conflict", "A request with this Idempotency-Key is still being processed; retry in a moment.");
      if (row.request_hash !== hash) {
        throw new AppError(
          "invalid_request",
          `This ${IDEMPOTENCY_HEADER} was already used for a different request (another method, path or body). Use a new ${IDEMPOTENCY_HEADER} for a new request.`,
          [{ path: IDEMPOTENCY_HEADER, message: "Already used with different parameters." }],
        );
      }
      try {
        return { result: replay(unseal(row.response_body, r.secret, r.idemKey)) };
      } catch (err) {
        if (err instanceof AppError) return { error: err };
        throw err;
      }
    }
    await tx.query("savepoint llavero_idempotent");
    let answer: StoredAnswer;
    let status: number;
    let outcome: { result: HandlerResult<unknown> } | { error: AppError };
    try {
      const result = await handler(tx);
      answer = { ok: true, body: result.body, summary: result.summary ?? null };
      status = r.status;
      outcome = { result };
    } catch (err) {
      const appErr = toAppError(err);
      if (!appErr || appErr.status >= 500) throw err;
      // Undo whatever the handler did before it refused (and its change of role), keep the claim.
      await tx.query("rollback to savepoint llavero_idempotent");
      answer = { ok: false, code: appErr.code, message: appErr.message, ...(appErr.details ? { details: appErr.details } : {}) };
      status = appErr.status;
      outcome = { error: appErr };
    }
    await tx.exec("reset role");
    await tx.query("update public.api_idempotency set response_status = $3, response_body = $4 where key_id = $1 and idempotency_key = $2", [
      r.keyId,
      r.idemKey,
      status,
      JSON.stringify(seal(answer, r.secret, r.idemKey)),
    ]);
    return outcome;
  });
  if ("error" in out) throw out.error;
  return out.result;
}
