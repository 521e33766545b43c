import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { availableParallelism } from "node:os";
import { createSemaphore } from "./semaphore";

export const MIN_PASSWORD_LENGTH = 10;

// OWASP's scrypt guidance (N=2^17, r=8, p=1) with 64 MiB cost; stored alongside the hash so the
// parameters can be raised later without invalidating old hashes.
const PARAMS = { N: 1 << 17, r: 8, p: 1, keyLen: 32 } as const;

/**
 * Each hash takes 128 MiB (128 * N * r bytes) and about a second of one core. Without a bound,
 * a burst of sign-ups or sign-ins asks for gigabytes at once; with it, extra requests wait their
 * turn, and past PASSWORD_HASH_QUEUE waiting ones are refused (SemaphoreFullError) rather than
 * piling up.
 */
export const PASSWORD_HASH_CONCURRENCY = Math.max(1, Math.min(4, availableParallelism()));
export const PASSWORD_HASH_QUEUE = 64;
const hashing = createSemaphore(PASSWORD_HASH_CONCURRENCY, PASSWORD_HASH_QUEUE);

/** How many hashes run now and the most that ever ran at once in this process. */
export function passwordHashingStats() {
  return hashing.stats();
}

function scrypt(password: string, salt: Buffer, keyLen: number, opts: ScryptOptions): Promise<Buffer> {
  return hashing.run(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scryptCb(password, salt, keyLen, opts, (err, key) => (err ? reject(err) : resolve(key))),
      ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p, keyLen } = PARAMS;
  const key = await scrypt(password, salt, keyLen, { N, r, p, maxmem: 256 * 1024 * 1024 });
  return `scrypt$${N}$${r}$${p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [, n, r, p, saltText, keyText] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyText, "base64url");
  const key = await scrypt(password, Buffer.from(saltText, "base64url"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * 1024 * 1024,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * A hash of a random password, verified when the email is unknown so that a wrong email and a
 * wrong password take the same time.
 */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  return dummyHash;
}
