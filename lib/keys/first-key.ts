import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { gcmOpen, gcmSeal, packGcm, unpackGcm } from "@/lib/crypto/seal";
import { getDb } from "@/lib/db";
import { asUser } from "@/lib/db/as-user";
import { createKey } from "./lifecycle";
import { getKey } from "./key-queries";
import { createKeyInputSchema } from "./key-input.schema";
import type { KeyView } from "./key-view.schema";

/**
 * A first key at sign-up (issue 13 item 12). The sign-up request creates the key exactly as the
 * keys page does (createKey with the create form's defaults: every scope but keys:manage, the
 * plan's rate ceiling, no cap, no expiry, a `key.created` activity entry), and the first
 * dashboard view shows its secret once.
 *
 * Handing the secret from one request to the next: the secret is sealed with AES-256-GCM under a
 * random key made for this one reveal; the sealed text is stored in public.key_reveals and the
 * key travels only in the reveal token (`<reveal id>.<key, base64url>`), which the caller puts in
 * a short-lived httpOnly cookie. Neither the row nor the cookie alone gives the secret; the row
 * is deleted when it is read, so a second view (a reload) finds nothing, and a row nobody read
 * expires after REVEAL_TTL_MS and is purged by the maintenance loop (lib/auth/retention.ts).
 */

/** The name the first key gets. */
export const FIRST_KEY_NAME = "My first key";
/** How long a sealed first-key secret waits for its first view (milliseconds). */
export const REVEAL_TTL_MS = 15 * 60_000;

const TOKEN_RE = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

// The stored form is base64url(iv ‖ ciphertext ‖ tag) of lib/crypto/seal.ts, bound to
// `<reveal id>:<user id>`. The key is per reveal (from the token), so no key id is needed.
function seal(secret: string, key: Buffer, aad: string): string {
  return packGcm(gcmSeal(key, secret, aad)).toString("base64url");
}

/** Null for a wrong key (a forged or mangled token), another reveal's row, or a malformed value. */
function unseal(sealed: string, key: Buffer, aad: string): string | null {
  try {
    return gcmOpen(key, unpackGcm(Buffer.from(sealed, "base64url")), aad).toString("utf8");
  } catch {
    return null; // SealError, or TypeError for a key of the wrong length
  }
}

/**
 * Creates the first API key of `userId`'s first team (the oldest team they belong to) and seals
 * its secret for one reveal. Returns the reveal token (for an httpOnly cookie, never a URL) and
 * when it stops working, or null when the user has no team yet (a sign-up from an invitation,
 * whose team comes with accepting it). Errors of createKey (AppError) pass through.
 */
export async function createFirstKey(userId: string, ip: string, now = new Date()): Promise<{ token: string; expiresAt: Date; keyId: string } | null> {
  const teamId = await asUser(userId, async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `select t.id from public.team_members m join public.teams t on t.id = m.team_id
        where m.user_id = auth.uid() order by t.created_at limit 1`,
    );
    return rows[0]?.id ?? null;
  });
  if (!teamId) return null;
  const { secret, key } = await createKey({ userId, teamId, ip }, createKeyInputSchema.parse({ name: FIRST_KEY_NAME }));
  const revealId = randomUUID();
  const sealKey = randomBytes(32);
  const expiresAt = new Date(now.getTime() + REVEAL_TTL_MS);
  const db = await getDb();
  await db.query("insert into public.key_reveals (id, user_id, key_id, sealed, expires_at) values ($1, $2, $3, $4, $5)", [
    revealId,
    userId,
    key.id,
    seal(secret, sealKey, `${revealId}:${userId}`),
    expiresAt,
  ]);
  return { token: `${revealId}.${sealKey.toString("base64url")}`, expiresAt, keyId: key.id };
}

/**
 * The first-key secret for `userId` behind `token`, once: the row is deleted as it is read, so
 * a second call answers null. Null too for a malformed, expired or someone else's token, a key
 * that no longer exists or is revoked, or a token whose key does not open the row.
 */
export async function consumeKeyReveal(userId: string, token: string, ip = "", now = new Date()): Promise<{ secret: string; key: KeyView } | null> {
  const m = TOKEN_RE.exec(token);
  if (!m) return null;
  const [, revealId, sealKey] = m as unknown as [string, string, string];
  const db = await getDb();
  const { rows } = await db.query<{ key_id: string; sealed: string; expires_at: Date; team_id: string }>(
    `delete from public.key_reveals r using public.api_keys k
      where r.id = $1 and r.user_id = $2 and k.id = r.key_id
      returning r.key_id, r.sealed, r.expires_at, k.team_id`,
    [revealId, userId],
  );
  const row = rows[0];
  if (!row || new Date(row.expires_at).getTime() <= now.getTime()) return null;
  const secret = unseal(row.sealed, Buffer.from(sealKey, "base64url"), `${revealId}:${userId}`);
  if (secret === null) return null;
  try {
    const key = await getKey({ userId, teamId: row.team_id, ip }, row.key_id);
    return key.status === "revoked" ? null : { secret, key };
  } catch {
    return null; // the user no longer sees the key (left the team)
  }
}
