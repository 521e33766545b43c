// No "server-only": tests and scripts use it outside Next. Server side only (private keys).
import { randomUUID } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, importPKCS8, SignJWT, type JWK } from "jose";
import type { Database } from "@/lib/db/types";
import { getPlan, type PlanId } from "@/lib/plans";

export const LICENSE_TTL_SECONDS = 24 * 3600;
/** A rotated key stays in the JWKS this long, so tokens it signed keep verifying until they expire. */
export const RETIRED_KEY_GRACE_MS = 24 * 3600 * 1000;
const ALG = "EdDSA";

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function fromPem(pem: string): Promise<SigningKey> {
  const privateKey = await importPKCS8(pem.replace(/\\n/g, "\n"), ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const publicJwk: JWK = { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
  return { kid: await calculateJwkThumbprint(publicJwk), privateKey, publicJwk };
}

/**
 * The key that signs now: from LICENSE_SIGNING_KEY (an Ed25519 PKCS#8 PEM) when given, else the
 * stored active key, generated and stored on first use (the unique index settles a race
 * between processes: the loser reads the winner's key).
 */
export async function currentSigningKey(db: Database, envPem?: string): Promise<SigningKey> {
  if (envPem) return fromPem(envPem);
  const found = await db.query<{ kid: string; private_jwk: JWK; public_jwk: JWK }>(
    "select kid, private_jwk, public_jwk from public.license_signing_keys where retired_at is null",
  );
  if (found.rows[0]) {
    const r = found.rows[0];
    return { kid: r.kid, privateKey: (await importJWK(r.private_jwk, ALG)) as CryptoKey, publicJwk: r.public_jwk };
  }
  await insertNewKey(db);
  return currentSigningKey(db);
}

async function insertNewKey(db: Pick<Database, "query">): Promise<void> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  await db.query(
    "insert into public.license_signing_keys (kid, alg, private_jwk, public_jwk) values ($1, $2, $3::jsonb, $4::jsonb) on conflict do nothing",
    [kid, ALG, JSON.stringify(await exportJWK(privateKey)), JSON.stringify(publicJwk)],
  );
}

/** Retires the stored signing key and makes a new one; the old public key stays in the JWKS 24 h. */
export async function rotateSigningKey(db: Database, now = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query("update public.license_signing_keys set retired_at = $1 where retired_at is null", [now]);
    await insertNewKey(tx);
  });
}

/** The public keys that verify license tokens: `{keys: [...]}` with kid, alg and use. */
export async function licenseJwks(db: Database, opts: { envPem?: string; now?: Date } = {}): Promise<{ keys: JWK[] }> {
  const now = opts.now ?? new Date();
  const keys: JWK[] = [];
  if (opts.envPem) {
    const k = await fromPem(opts.envPem);
    keys.push({ ...k.publicJwk, kid: k.kid, alg: ALG, use: "sig" });
  }
  const stored = await db.query<{ kid: string; public_jwk: JWK }>(
    "select kid, public_jwk from public.license_signing_keys where retired_at is null or retired_at > $1 order by created_at desc",
    [new Date(now.getTime() - RETIRED_KEY_GRACE_MS)],
  );
  for (const r of stored.rows) if (!keys.some((k) => k.kid === r.kid)) keys.push({ ...r.public_jwk, kid: r.kid, alg: ALG, use: "sig" });
  return { keys };
}

export interface LicenseClaims {
  teamId: string;
  plan: PlanId;
  /** Stripe's subscription status, or "free". */
  status: string;
}

/**
 * A compact JWS valid 24 h: header {alg: EdDSA, kid}; claims jti, sub (team), iat, exp, plan,
 * status and limits {monthly_calls, keys, rate_per_minute, overage_allowed}.
 * Returns the token, its expiry (ISO) and jti.
 */
export async function issueLicense(db: Database, c: LicenseClaims, opts: { envPem?: string; now?: Date; issuer?: string } = {}) {
  const key = await currentSigningKey(db, opts.envPem);
  const iat = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const exp = iat + LICENSE_TTL_SECONDS;
  const jti = randomUUID();
  const plan = getPlan(c.plan);
  const jwt = new SignJWT({
    plan: plan.id,
    status: c.status,
    limits: { monthly_calls: plan.monthlyCalls, keys: plan.keyLimit, rate_per_minute: plan.rateCeilingPerMinute, overage_allowed: plan.overageAllowed },
  })
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: "JWT" })
    .setJti(jti)
    .setSubject(c.teamId)
    .setIssuedAt(iat)
    .setExpirationTime(exp);
  if (opts.issuer) jwt.setIssuer(opts.issuer);
  const token = await jwt.sign(key.privateKey);
  return { token, expires_at: new Date(exp * 1000).toISOString(), jti };
}
