// The demo team (issue 13, item 10): keys with settings a real team would choose, an activity log
// that says how they came to be, and 90 days of calls replayed through the real verification at
// the calls' own times (lib/usage/timed-verify.ts), so every counter, refusal and overage figure
// follows the product's rules and cannot disagree with it.
import { mulberry32 } from "@/lib/prng";
import { recordKeyActivity, recordTeamActivity } from "../lib/activity/record";
import type { Database } from "../lib/db/types";
import { displayParts, generateApiKey, hashApiKey } from "../lib/keys/format";
import { PLANS } from "../lib/plans";
import { rfcCheckDigit, validateRfc } from "../lib/rfc/validate-rfc";
import { absoluteUrl } from "../lib/site-url";
import { rebuildUsageRollup } from "../lib/usage/maintenance";
import { replayCalls, type ReplayResult, type TimedCall } from "../lib/usage/timed-verify";
import { freshUserWithTeam } from "./seed-support";

export const DEMO_EMAIL = "demo@llavero.local";
export const DEMO_PASSWORD = "llavero-demo-password";
const DAY = 86_400_000;
const OWNER_IP = "198.51.100.10";

type Endpoint = "validate" | "validate_malformed" | "ping" | "audit";

interface DemoKey {
  name: string;
  scopes: string[];
  rate: number;
  allowlist?: string[];
  /** Days before now the key expired (it is then still called for a while, and refused). */
  expiredDaysAgo?: number;
  /** Share of the regular traffic. */
  weight: number;
  /** The key's client stopped calling this many days ago. */
  quietForDays: number;
  ips: (r: () => number) => string;
  userAgent: string;
  mix: [Endpoint, number][];
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const KEYS: DemoKey[] = [
  {
    name: "Production",
    scopes: ["ping", "validate", "audit:read", "audit:write"],
    rate: 300,
    weight: 0.5,
    quietForDays: 0,
    ips: (r) => pick(r, ["198.51.100.10", "198.51.100.11", "198.51.100.12"]),
    userAgent: "llavero-node/1.4.2",
    mix: [["validate", 0.74], ["ping", 0.25], ["validate_malformed", 0.01]],
  },
  {
    name: "Staging",
    scopes: ["ping", "validate", "audit:read", "audit:write"],
    rate: 120,
    weight: 0.08,
    quietForDays: 3,
    ips: () => "203.0.113.40",
    userAgent: "llavero-node/1.5.0-beta.1",
    mix: [["validate", 0.5], ["ping", 0.45], ["validate_malformed", 0.05]],
  },
  {
    name: "Mobile app",
    scopes: ["ping", "validate"],
    rate: 300,
    weight: 0.24,
    quietForDays: 0,
    ips: (r) => `192.0.2.${1 + Math.floor(r() * 254)}`,
    userAgent: "okhttp/4.12.0",
    // An old app version still asks for audits, which this key may not read: insufficient_scope.
    mix: [["validate", 0.76], ["ping", 0.2], ["audit", 0.04]],
  },
  {
    name: "Partner: Contadores MX",
    scopes: ["validate"],
    rate: 30,
    allowlist: ["198.51.100.64/28"],
    weight: 0.1,
    quietForDays: 0,
    // Mostly from its allowlisted network; now and then from a laptop outside it: ip_not_allowed.
    ips: (r) => (r() < 0.03 ? "203.0.113.99" : `198.51.100.${66 + Math.floor(r() * 5)}`),
    userAgent: "ContadoresMX/2.3",
    mix: [["validate", 1]],
  },
  {
    name: "Data pipeline",
    scopes: ["validate"],
    rate: 60,
    weight: 0.04,
    quietForDays: 1,
    ips: () => "203.0.113.7",
    userAgent: "python-requests/2.32.3",
    mix: [["validate", 1]],
  },
  {
    name: "Old integration",
    scopes: ["validate"],
    rate: 60,
    expiredDaysAgo: 20,
    weight: 0.04,
    // Its client kept calling for six days after the key expired (key_expired), then stopped.
    quietForDays: 14,
    ips: () => "203.0.113.120",
    userAgent: "curl/8.5.0",
    mix: [["validate", 0.9], ["ping", 0.1]],
  },
];

const ENDPOINTS: Record<Endpoint, { path: string; method: string; scope: string; metered: boolean }> = {
  validate: { path: "/api/public/validate", method: "POST", scope: "validate", metered: true },
  validate_malformed: { path: "/api/public/validate", method: "POST", scope: "validate", metered: true },
  ping: { path: "/api/public/ping", method: "GET", scope: "ping", metered: false },
  audit: { path: "/api/public/audit", method: "GET", scope: "audit:read", metered: true },
};


/**
 * RFCs as clients send them: mostly well-formed with their SAT check digit, some with a wrong
 * digit or an impossible date. Whether each is valid is decided by lib/rfc, exactly as the
 * validate endpoint decides it, never by the generator.
 */
function rfcPool(r: () => number, n: number): string[] {
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const alnum = "ABCDEFGHIJKLMNPQRSTUVWXYZ123456789";
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const moral = r() < 0.3;
    const name = Array.from({ length: moral ? 3 : 4 }, () => pick(r, letters.split(""))).join("");
    const yy = String(Math.floor(r() * 100)).padStart(2, "0");
    const mm = String(1 + Math.floor(r() * 12)).padStart(2, "0");
    const dd = r() < 0.05 ? "31" : String(1 + Math.floor(r() * 28)).padStart(2, "0"); // 31 is impossible in some months
    const homoclave = pick(r, alnum.split("")) + pick(r, alnum.split(""));
    const first = `${name}${yy}${mm}${dd}${homoclave}`;
    let digit = rfcCheckDigit(first);
    if (r() < 0.12) digit = digit === "7" ? "3" : "7"; // a typo in the check digit
    out.push(first + digit);
  }
  return out;
}

function answerFor(endpoint: Endpoint, r: () => number, rfcs: string[]): TimedCall["answer"] {
  switch (endpoint) {
    case "validate": {
      const v = validateRfc(pick(r, rfcs));
      return { status: 200, latencyMs: 3 + r() * r() * 40, summary: { rfc: v.rfc, valid: v.valid }, errorCode: null };
    }
    case "validate_malformed":
      return { status: 400, latencyMs: 1 + r() * 3, summary: null, errorCode: "invalid_request" };
    case "ping":
      return { status: 200, latencyMs: 1 + r() * 4, summary: null, errorCode: null };
    case "audit":
      // Only reached if a key with audit:read asked; the demo's askers lack the scope.
      return { status: 404, latencyMs: 2 + r() * 5, summary: null, errorCode: "not_found" };
  }
}

/** A time on one of the last 90 days: recent days and Mexican business hours weigh more, weekends half. */
function callTime(r: () => number, now: number, minDaysAgo: number): Date {
  for (;;) {
    const daysAgo = minDaysAgo + Math.floor(Math.pow(r(), 1.4) * (90 - minDaysAgo));
    const day = new Date(now - daysAgo * DAY);
    const dow = day.getUTCDay();
    if ((dow === 0 || dow === 6) && r() < 0.5) continue;
    // 15:00-01:00 UTC is 09:00-19:00 in Mexico City; a triangular peak around 20:00 UTC.
    const hour = (15 + (r() + r()) * 5 + 24) % 24;
    const at = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()) + hour * 3_600_000 + Math.floor(r() * 60) * 1000;
    if (at < now - 2 * 60_000 && at > now - 90 * DAY) return new Date(at);
  }
}

export interface DemoSeedOptions {
  /** Regular calls (the bursts of the pipeline and the partner come on top). */
  calls?: number;
  seed?: number;
  now?: Date;
}

export interface DemoSeedResult {
  userId: string;
  teamId: string;
  keyIds: Record<string, string>;
  replay: ReplayResult;
  calls: number;
  signInUrl: string;
}

/** Creates (or re-creates) the demo user, team, keys, activity and traffic. */
export async function seedDemo(db: Database, opts: DemoSeedOptions = {}): Promise<DemoSeedResult> {
  const r = mulberry32(Math.floor((opts.seed ?? 0.17) * 2 ** 32));
  const now = (opts.now ?? new Date()).getTime();
  const start = now - 91 * DAY;
  const { userId, teamId } = await freshUserWithTeam(db, DEMO_EMAIL, DEMO_PASSWORD, "Demo Co.", "free");

  // The story's first steps, in the activity log at their times: the owner upgraded, then made keys.
  const keyIds: Record<string, string> = {};
  const hashes = new Map<string, string>();
  await db.transaction(async (tx) => {
    await tx.query("update public.teams set plan = 'business' where id = $1", [teamId]);
    await recordTeamActivity(tx, { teamId, action: "plan.changed", details: { from: "free", to: "business" }, ip: OWNER_IP, actorId: userId, at: new Date(start) });
    const later: Array<{ at: Date; keyId: string }> = [];
    for (const [i, k] of KEYS.entries()) {
      const createdAt = new Date(start + (i + 1) * 60 * 60_000);
      const secret = generateApiKey();
      const { prefix, last4 } = displayParts(secret);
      const expiresAt = k.expiredDaysAgo === undefined ? null : new Date(now - k.expiredDaysAgo * DAY);
      const { rows } = await tx.query<{ id: string }>(
        `insert into public.api_keys (team_id, created_by, name, prefix, last4, scopes, rate_limit_per_minute, ip_allowlist, expires_at, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8::cidr[], $9, $10) returning id`,
        [teamId, userId, k.name, prefix, last4, k.scopes, k.rate, k.allowlist ?? [], expiresAt, createdAt],
      );
      const id = rows[0]!.id;
      const hash = hashApiKey(secret);
      await tx.query("insert into public.api_key_hashes (key_hash, key_id) values ($1, $2)", [hash, id]);
      keyIds[k.name] = id;
      hashes.set(k.name, hash);
      await recordKeyActivity(tx, { teamId, keyId: id, action: "key.created", details: { name: k.name }, ip: OWNER_IP, actorId: userId, at: createdAt });
      if (k.allowlist) {
        // The partner's network was added a day later, with a lower rate limit. Recorded after
        // the loop, in time order: the log lists newest first by insertion order.
        later.push({ at: new Date(createdAt.getTime() + DAY), keyId: id });
      }
    }
    for (const { at, keyId } of later.sort((a, b) => a.at.getTime() - b.at.getTime())) {
      await recordKeyActivity(tx, {
        teamId,
        keyId,
        action: "key.settings_changed",
        details: { fields: ["ip_allowlist", "rate_limit_per_minute"] },
        ip: OWNER_IP,
        actorId: userId,
        at,
      });
    }
  });

  const rfcs = rfcPool(r, 400);
  const calls: TimedCall[] = [];
  let seq = 0;
  const add = (k: DemoKey, endpoint: Endpoint, at: Date) => {
    const e = ENDPOINTS[endpoint];
    calls.push({
      at,
      keyHash: hashes.get(k.name)!,
      endpoint: e.path,
      method: e.method,
      scope: e.scope,
      ip: k.ips(r),
      userAgent: k.userAgent,
      metered: e.metered,
      requestId: `demo-${(seq++).toString(36)}`,
      answer: answerFor(endpoint, r, rfcs),
    });
  };
  const mixPick = (k: DemoKey): Endpoint => {
    let x = r();
    for (const [e, w] of k.mix) {
      if ((x -= w) < 0) return e;
    }
    return k.mix[0]![0];
  };
  const totalWeight = KEYS.reduce((a, k) => a + k.weight, 0);
  const regular = opts.calls ?? 60_000;
  for (const k of KEYS) {
    const n = Math.round((regular * k.weight) / totalWeight);
    for (let i = 0; i < n; i++) add(k, mixPick(k), callTime(r, now, k.quietForDays));
  }
  // The pipeline's nightly batch every other day: 75 calls in 45 seconds against 60 a minute.
  const pipeline = KEYS.find((k) => k.name === "Data pipeline")!;
  const partner = KEYS.find((k) => k.name === "Partner: Contadores MX")!;
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  for (let d = 89; d >= pipeline.quietForDays + 1; d -= 2) {
    const t0 = today - d * DAY + 8 * 3_600_000;
    for (let i = 0; i < 75; i++) add(pipeline, "validate", new Date(t0 + i * 600));
  }
  // The partner's Monday reconciliation: 40 calls in 30 seconds against 30 a minute.
  for (let d = 89; d >= 1; d--) {
    const t0 = today - d * DAY + 16 * 3_600_000 + 5_000;
    if (new Date(t0).getUTCDay() !== 1) continue;
    for (let i = 0; i < 40; i++) add(partner, "validate", new Date(t0 + i * 750));
  }

  const replay = await replayCalls(db, calls);
  await rebuildUsageRollup(db, new Date(now));
  return { userId, teamId, keyIds, replay, calls: calls.length, signInUrl: absoluteUrl("/sign-in") };
}

/** The demo's plan, for the summary line. */
export const DEMO_PLAN = PLANS.business;
