// Seals webhook signing secrets still stored in clear (rows from before migration
// 20261202000100) and re-seals those sealed under an older at-rest key. Run once at start by the
// app (lib/server-runtime.ts) and by `npm run worker`. No "server-only": the worker runs it.
import type { Database } from "@/lib/db/types";
import { atRestKeyring } from "@/lib/crypto/at-rest-key";
import { ENVELOPE_PREFIX, keyId, type Keyring } from "@/lib/crypto/seal";
import { openWebhookSecret, sealWebhookSecret } from "./secret";

// Processes that start together take turns (transaction-scoped, as the migrations do); the
// second finds nothing left to do.
const LOCK_KEY = "llavero.webhook-secrets.seal";

export interface SealPassResult {
  /** Rows whose secret(s) were rewritten sealed under the current key. */
  sealed: number;
  /** Ids of rows that could not be opened (sealed under a key that is not configured); left as they are. */
  unreadable: string[];
}

/**
 * Rewrites, in batches of `batchSize`, every endpoint whose `secret` or `previous_secret` is not
 * sealed under the keyring's current key: a legacy clear `whsec_…` is sealed, a value sealed
 * under a previous key is opened and sealed again. Each batch is one transaction holding the
 * rows (`for update`), so a rotation running meanwhile waits and then sees the sealed values:
 * no secret is lost or overwritten with a stale one, and a crash mid-way leaves every row either
 * as it was or sealed, never neither. Idempotent: a second pass finds nothing. Rows that do not
 * open are reported, not touched (the previous key may be set later).
 */
export async function sealStoredWebhookSecrets(db: Database, keyring: Keyring = atRestKeyring(), batchSize = 200): Promise<SealPassResult> {
  // Hex and dots only: no LIKE wildcard in the prefix.
  const current = `${ENVELOPE_PREFIX}${keyId(keyring.current)}.%`;
  const result: SealPassResult = { sealed: 0, unreadable: [] };
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      if (db.kind === "postgres") await tx.query("select pg_advisory_xact_lock(hashtext($1))", [LOCK_KEY]);
      const { rows } = await tx.query<{ id: string; secret: string; previous_secret: string | null }>(
        `select id, secret, previous_secret from public.webhook_endpoints
          where id > $1 and (secret not like $2 or (previous_secret is not null and previous_secret not like $2))
          order by id limit $3 for update`,
        [after, current, batchSize],
      );
      for (const r of rows) {
        let secret: string;
        let previous: string | null;
        try {
          secret = sealWebhookSecret(openWebhookSecret(r.secret, r.id, keyring), r.id, keyring);
          previous = r.previous_secret === null ? null : sealWebhookSecret(openWebhookSecret(r.previous_secret, r.id, keyring), r.id, keyring);
        } catch {
          result.unreadable.push(r.id);
          continue;
        }
        await tx.query("update public.webhook_endpoints set secret = $2, previous_secret = $3 where id = $1", [r.id, secret, previous]);
        result.sealed++;
      }
      return rows;
    });
    if (batch.length < batchSize) return result;
    after = batch[batch.length - 1]!.id;
  }
}

/**
 * sealStoredWebhookSecrets in the background, logging what it did (counts and endpoint ids,
 * never a secret). Errors are logged, not thrown: the next start tries again, and until then
 * clear rows still sign (openWebhookSecret reads them).
 */
export function startWebhookSecretSealing(db: Database, log: (line: string) => void = console.log): Promise<void> {
  return sealStoredWebhookSecrets(db).then(
    (r) => {
      if (r.sealed > 0) log(`[webhooks] sealed ${r.sealed} endpoint secret row(s) under the current at-rest key`);
      if (r.unreadable.length > 0) {
        console.error(
          `[webhooks] ${r.unreadable.length} endpoint(s) have secrets sealed under a key that is not configured (${r.unreadable.join(", ")}); ` +
            `set LLAVERO_ENCRYPTION_KEY_PREVIOUS to the old key so they can be re-sealed, or rotate their secrets.`,
        );
      }
    },
    (err: unknown) => console.error(`[webhooks] sealing stored endpoint secrets failed: ${(err as Error)?.message}`),
  );
}
