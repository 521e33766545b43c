import { z } from "zod";

const optionalString = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());
const booleanFlag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

/**
 * A 32-byte AES key written in base64 or base64url (padding optional), e.g. the output of
 * `openssl rand -base64 32`. The error never repeats the value.
 */
const ENCRYPTION_KEY_HINT = "must be 32 random bytes in base64 or base64url (make one with `openssl rand -base64 32`)";
function decodeAesKey(value: string, ctx: z.RefinementCtx): Buffer {
  const v = value.trim();
  const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(v) ? Buffer.from(v, "base64") : null;
  if (!bytes || bytes.length !== 32) {
    ctx.addIssue({ code: "custom", message: `${ENCRYPTION_KEY_HINT}; the value given ${bytes ? `decodes to ${bytes.length} bytes` : "is not base64"}` });
    return Buffer.alloc(0);
  }
  return bytes;
}
const encryptionKey = optionalString.pipe(z.string().transform(decodeAesKey).optional());
/** Comma-separated keys, each as LLAVERO_ENCRYPTION_KEY. */
const encryptionKeyList = optionalString.pipe(
  z
    .string()
    .transform((v, ctx) => v.split(",").filter((k) => k.trim() !== "").map((k) => decodeAesKey(k, ctx)))
    .optional(),
);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optionalString.pipe(z.string().url().optional()),
  LLAVERO_DATA_DIR: z.string().default(".data/pglite"),
  NEXT_PUBLIC_SUPABASE_URL: optionalString.pipe(z.string().url().optional()),
  NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: optionalString,
  /** Only when a reverse proxy we control sits in front may X-Forwarded-For name the client. */
  TRUST_PROXY: booleanFlag,
  HISTORY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  /** Where the Stripe SDK sends requests; unset = api.stripe.com. The local stand-in: http://127.0.0.1:12111. */
  STRIPE_API_BASE: optionalString.pipe(z.string().url().optional()),
  /** Days a past_due subscription keeps its plan before the team falls to Free limits. */
  BILLING_GRACE_DAYS: z.coerce.number().int().min(0).max(90).default(7),
  /** The Stripe stand-in (scripts/stripe-standin.ts) listens here; 0 = any free port. */
  STRIPE_STANDIN_PORT: z.coerce.number().int().min(0).max(65535).default(12111),
  /** The stand-in waits this long before posting webhooks, as Stripe lags a little. */
  STRIPE_STANDIN_DELIVERY_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(300),
  /** Where the stand-in posts webhooks; default $APP_URL/api/stripe/webhook. */
  STRIPE_WEBHOOK_URL: optionalString.pipe(z.string().url().optional()),
  /** PKCS#8 PEM of an Ed25519 key that signs license tokens; unset = one generated and stored. */
  LICENSE_SIGNING_KEY: optionalString,
  /**
   * The portal's public origin (https://portal.example.com): every absolute URL the app makes
   * (auth callbacks, invitation links, Stripe return URLs) starts with it. Unset: http://localhost:PORT.
   */
  APP_URL: optionalString.pipe(z.string().url().refine((u) => /^https?:$/.test(new URL(u).protocol), "must be an http(s) URL").optional()),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Sign-up attempts allowed per client IP per hour (built-in auth); each costs a 128 MiB hash. */
  SIGN_UP_LIMIT_PER_IP_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(20),
  /** "false" behind a transaction-mode pooler (Supabase's port 6543, PgBouncer < 1.21). */
  DATABASE_PREPARED_STATEMENTS: z.enum(["true", "false"]).default("true"),
  /** Set to "false" to run jobs only in `npm run worker` processes. */
  LLAVERO_INPROCESS_WORKER: z.enum(["true", "false"]).default("true"),
  /** Local development only: webhooks may go to private/loopback addresses and plain http. */
  WEBHOOKS_ALLOW_PRIVATE: booleanFlag,
  /** Tests only: the webhook retry delays in ms, comma-separated (default: Svix's schedule). */
  WEBHOOKS_RETRY_SCHEDULE_MS: optionalString.pipe(z.string().regex(/^\d+(,\d+)*$/).optional()),
  /**
   * Milliseconds before a job claimed by a worker that died (kill -9, power loss) is run again.
   * Each job may run for half of it. The crash-consistency suite shortens it to see recovery.
   */
  JOB_VISIBILITY_TIMEOUT_MS: z.coerce.number().int().min(2_000).max(3_600_000).default(60_000),
  /**
   * The key that encrypts secrets at rest (webhook signing secrets; lib/crypto/at-rest-key.ts).
   * Unset: embedded mode and development keep a generated key in a 0600 file beside
   * LLAVERO_DATA_DIR; production with DATABASE_URL refuses to start.
   */
  LLAVERO_ENCRYPTION_KEY: encryptionKey,
  /** During a key rotation: the old key(s), comma-separated; they only open, and values are re-sealed with the new one. */
  LLAVERO_ENCRYPTION_KEY_PREVIOUS: encryptionKeyList,
  /** "true" only under `npm run bench`: serves /api/bench/constant, the framework's ceiling. */
  LLAVERO_BENCH_ROUTES: booleanFlag,
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/** Parsed once per process; a bad value stops the app with the variable's name. */
export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

export type DeploymentMode = "embedded" | "postgres" | "supabase";

export function deploymentMode(e: Env = env()): DeploymentMode {
  if (!e.DATABASE_URL) return "embedded";
  if (e.NEXT_PUBLIC_SUPABASE_URL && e.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY) return "supabase";
  return "postgres";
}

/** Tests swap environments between suites. */
export function resetEnvCache(): void {
  cached = undefined;
}
