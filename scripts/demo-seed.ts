// The demo team (issue 13, item 10): keys with settings a real team would choose, an activity log
// that says how they came to be, and 90 days of calls replayed through the real verification at
// the calls' own times (lib/usage/timed-verify.ts), so every counter, refusal and overage figure
// follows the product's rules and cannot disagree with it. The keys' lives (made, restricted,
// given an expiry, disabled, rotated with a grace period) go through lib/keys/lifecycle.ts, as the
// dashboard's do, at their days in the story; the calls between two such changes are replayed
// before the next one, so each call meets the key as it was then.
import { mulberry32 } from "@/lib/prng";
import { recordTeamActivity } from "../lib/activity/record";
import { runAsUser } from "../lib/db/run-as-user";
import type { Database, Queryable } from "../lib/db/types";
import { hashApiKey } from "../lib/keys/format";
import { createKeyInputSchema, updateKeyInputSchema } from "../lib/keys/key-input.schema";
import type { RotationGrace } from "../lib/keys/key-view.schema";
import { createKey, rotateKey, setKeyEnabled, updateKey, type Actor } from "../lib/keys/lifecycle";
import { graceUntil } from "../lib/keys/rotation";
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
  /** The rate limit it is made with (the story may change it later). */
  rate: number;
  /** Days before now the key was made (mid-afternoon UTC); default: the story's first day. */
  createdDaysAgo?: number;
  /** Share of the regular traffic. */
  weight: number;
  /** The key's client stopped calling this many days ago. */
  quietForDays: number;
  ips: (r: () => number) => string;
  userAgent: string;
  mix: [Endpoint, number][];
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** One Production server nobody moved to the rotated key: it keeps the old key's grace period in use. */
const STRAGGLER_IP = "198.51.100.12";

const KEYS: DemoKey[] = [
  {
    name: "Production",
    scopes: ["ping", "validate", "audit:read", "audit:write"],
    rate: 300,
    weight: 0.5,
    quietForDays: 0,
    ips: (r) => (r() < 0.12 ? STRAGGLER_IP : pick(r, ["198.51.100.10", "198.51.100.11"])),
    userAgent: "llavero-node/1.4.2",
    mix: [["validate", 0.74], ["ping", 0.25], ["validate_malformed", 0.01]],
  },
  {
    name: "Staging",
    scopes: ["ping", "validate", "audit:read", "audit:write"],
    rate: 120,
    weight: 0.08,
    // Disabled nine days ago; its CI kept calling (key_disabled) for two days, then was turned off.
    quietForDays: 7,
    ips: () => "203.0.113.40",
    userAgent: "llavero-node/1.5.0-beta.1",
    mix: [["validate", 0.5], ["ping", 0.45], ["validate_malformed", 0.05]],
  },
  {
    name: "Mobile app",
    scopes: ["ping", "validate"],
    rate: 300,
    // The app launched two months into the story.
    createdDaysAgo: 63,
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
    // Restricted a day after it was made (PARTNER_RESTRICTION): its network only, 30 a minute.
    rate: 60,
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
    weight: 0.04,
    // Given an expiry 20 days ago (OLD_INTEGRATION_RETIREMENT); its client kept calling for six
    // days after it (key_expired), then stopped.
    quietForDays: 14,
    ips: () => "203.0.113.120",
    userAgent: "curl/8.5.0",
    mix: [["validate", 0.9], ["ping", 0.1]],
  },
];

/** The story's key changes after the keys were made, each through lib/keys/lifecycle.ts. */
const PARTNER_RESTRICTION = { key: "Partner: Contadores MX", afterCreationMs: 86_400_000, ip_allowlist: ["198.51.100.64/28"], rate_limit_per_minute: 30 };
const OLD_INTEGRATION_RETIREMENT = { key: "Old integration", decidedDaysAgo: 48, expiresDaysAgo: 20 };
const STAGING_DISABLE = { key: "Staging", daysAgo: 9 };
const PRODUCTION_ROTATION: { key: string; daysAgo: number; grace: RotationGrace } = { key: "Production", daysAgo: 4, grace: "7d" };
/** How the rotated key is named in the result's keyIds (the key itself keeps the name "Production"). */
export const ROTATED_IN = "Production (rotated in)";
/** After the rotation the Production servers move to the new key over this long (but STRAGGLER_IP). */
const ROLLOUT_MS = 2 * DAY;

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

/**
 * A time after `notBefore` (the key's creation) on one of the last 90 days, at least
 * `minDaysAgo` days ago: recent days and Mexican business hours weigh more, weekends half.
 */
function callTime(r: () => number, now: number, minDaysAgo: number, notBefore: number): Date {
  const maxDaysAgo = Math.min(90, Math.ceil((now - notBefore) / DAY));
  for (;;) {
    const daysAgo = minDaysAgo + Math.floor(Math.pow(r(), 1.4) * (maxDaysAgo - minDaysAgo));
    const day = new Date(now - daysAgo * DAY);
    const dow = day.getUTCDay();
    if ((dow === 0 || dow === 6) && r() < 0.5) continue;
    // 15:00-01:00 UTC is 09:00-19:00 in Mexico City; a triangular peak around 20:00 UTC.
    const hour = (15 + (r() + r()) * 5 + 24) % 24;
    const at = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()) + hour * 3_600_000 + Math.floor(r() * 60) * 1000;
    if (at < now - 2 * 60_000 && at > now - 90 * DAY && at > notBefore) return new Date(at);
  }
}

type Owner = Omit<Actor, "tx">;

/**
 * Runs `change` (a lib/keys/lifecycle.ts function) as the demo's owner in one transaction, as
 * the dashboard would, then moves it to `at` in the story: what it wrote is stamped with the
 * transaction's time, now(), and nothing else in the team carries that exact time, so the key
 * rows' created/updated/disabled times, the activity entry and the webhook message equal to
 * now() become `at`. `after` fixes what was derived from now() another way (a grace end).
 * The rules (who may, what is checked, what is logged) stay lifecycle.ts's.
 */
async function changeAt<T>(db: Database, owner: Owner, at: Date, change: (actor: Actor) => Promise<T>, after?: (tx: Queryable, out: T) => Promise<void>): Promise<T> {
  return runAsUser(db, owner.userId, async (tx) => {
    const out = await change({ ...owner, tx });
    // Back to the database's owner: a signed-in user may not write these columns.
    await tx.exec("reset role");
    await tx.query(
      `update public.api_keys set
          created_at = case when created_at = now() then $2 else created_at end,
          updated_at = case when updated_at = now() then $2 else updated_at end,
          disabled_at = case when disabled_at = now() then $2 else disabled_at end
        where team_id = $1 and (created_at = now() or updated_at = now() or disabled_at = now())`,
      [owner.teamId, at],
    );
    await tx.query("update public.audit_log set created_at = $2 where team_id = $1 and created_at = now()", [owner.teamId, at]);
    await tx.query(
      `update public.webhook_messages set created_at = $2, payload = jsonb_set(payload, '{timestamp}', to_jsonb($3::text))
        where team_id = $1 and created_at = now()`,
      [owner.teamId, at, at.toISOString()],
    );
    if (after) await after(tx, out);
    return out;
  });
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
  /** By key name, plus ROTATED_IN for Production's replacement. */
  keyIds: Record<string, string>;
  replay: ReplayResult;
  calls: number;
  signInUrl: string;
}

/** A call waiting for its replay; its key is named, and hashed once the story has made it. */
interface PendingCall {
  key: string;
  call: Omit<TimedCall, "keyHash">;
}

/** Creates (or re-creates) the demo user, team, keys, activity and traffic. */
export async function seedDemo(db: Database, opts: DemoSeedOptions = {}): Promise<DemoSeedResult> {
  const r = mulberry32(Math.floor((opts.seed ?? 0.17) * 2 ** 32));
  const now = (opts.now ?? new Date()).getTime();
  const start = now - 91 * DAY;
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  /** `hours` (UTC) into the day `daysAgo` days before today. */
  const dayAt = (daysAgo: number, hours: number) => today - daysAgo * DAY + Math.round(hours * 3_600_000);
  const { userId, teamId } = await freshUserWithTeam(db, DEMO_EMAIL, DEMO_PASSWORD, "Demo Co.", "free");
  const owner: Owner = { userId, teamId, ip: OWNER_IP };

  const keyIds: Record<string, string> = {};
  const hashes = new Map<string, string>();
  const createdAt = (k: DemoKey, i: number) => (k.createdDaysAgo === undefined ? start + (i + 1) * 60 * 60_000 : dayAt(k.createdDaysAgo, 15.25));
  const rotatedAt = dayAt(PRODUCTION_ROTATION.daysAgo, 18.1);

  // The story, in time order: the owner upgraded, made keys, restricted the partner's, set the
  // old integration an end date, disabled staging, rotated production with a week's grace.
  const story: { at: number; run: (at: Date) => Promise<unknown> }[] = [];
  story.push({
    at: start,
    run: (at) =>
      db.transaction(async (tx) => {
        await tx.query("update public.teams set plan = 'business' where id = $1", [teamId]);
        await recordTeamActivity(tx, { teamId, action: "plan.changed", details: { from: "free", to: "business" }, ip: OWNER_IP, actorId: userId, at });
      }),
  });
  for (const [i, k] of KEYS.entries()) {
    story.push({
      at: createdAt(k, i),
      run: async (at) => {
        const input = createKeyInputSchema.parse({ name: k.name, scopes: k.scopes, rate_limit_per_minute: k.rate });
        const { secret, key } = await changeAt(db, owner, at, (actor) => createKey(actor, input));
        keyIds[k.name] = key.id;
        hashes.set(k.name, hashApiKey(secret));
      },
    });
  }
  const partnerIndex = KEYS.findIndex((k) => k.name === PARTNER_RESTRICTION.key);
  story.push({
    at: createdAt(KEYS[partnerIndex]!, partnerIndex) + PARTNER_RESTRICTION.afterCreationMs,
    run: (at) => {
      const input = updateKeyInputSchema.parse({ ip_allowlist: PARTNER_RESTRICTION.ip_allowlist, rate_limit_per_minute: PARTNER_RESTRICTION.rate_limit_per_minute });
      return changeAt(db, owner, at, (actor) => updateKey(actor, keyIds[PARTNER_RESTRICTION.key]!, input));
    },
  });
  story.push({
    at: dayAt(OLD_INTEGRATION_RETIREMENT.decidedDaysAgo, 17.2),
    // Not through updateKeyInputSchema: it measures "in the future" on today's clock, and this
    // expiry was four weeks ahead on the day it was set.
    run: (at) =>
      changeAt(db, owner, at, (actor) =>
        updateKey(actor, keyIds[OLD_INTEGRATION_RETIREMENT.key]!, { expires_at: new Date(dayAt(OLD_INTEGRATION_RETIREMENT.expiresDaysAgo, 15)).toISOString() }),
      ),
  });
  story.push({
    at: dayAt(STAGING_DISABLE.daysAgo, 16.7),
    run: (at) => changeAt(db, owner, at, (actor) => setKeyEnabled(actor, keyIds[STAGING_DISABLE.key]!, false)),
  });
  story.push({
    at: rotatedAt,
    run: async (at) => {
      const { secret, key } = await changeAt(
        db,
        owner,
        at,
        (actor) => rotateKey(actor, keyIds[PRODUCTION_ROTATION.key]!, PRODUCTION_ROTATION.grace),
        // The grace period runs from the rotation's time in the story, by lib/keys/rotation.ts's rule.
        async (tx, { previous }) => {
          const until = graceUntil(at, PRODUCTION_ROTATION.grace, previous.expires_at ? new Date(previous.expires_at) : null).toISOString();
          await tx.query("update public.api_keys set grace_until = $2 where id = $1", [previous.id, until]);
          await tx.query("update public.audit_log set details = jsonb_set(details, '{grace_until}', to_jsonb($2::text)) where key_id = $1 and action = 'key.rotated'", [previous.id, until]);
          await tx.query(
            "update public.webhook_messages set payload = jsonb_set(payload, '{data,grace_until}', to_jsonb($3::text)) where team_id = $1 and type = 'key.rotated' and payload->'data'->>'key_id' = $2",
            [teamId, previous.id, until],
          );
        },
      );
      keyIds[ROTATED_IN] = key.id;
      hashes.set(ROTATED_IN, hashApiKey(secret));
    },
  });

  const rfcs = rfcPool(r, 400);
  // Each key's share of the traffic varies by up to a fifth either way, so no total is a round figure.
  const spread = KEYS.map(() => 0.8 + 0.4 * r());
  const calls: PendingCall[] = [];
  let seq = 0;
  /** Which key a client used: Production's servers moved to the rotated key over ROLLOUT_MS, all but one. */
  const keyUsed = (k: DemoKey, at: number, ip: string): string => {
    if (k.name !== PRODUCTION_ROTATION.key || at < rotatedAt || ip === STRAGGLER_IP) return k.name;
    return r() < (at - rotatedAt) / ROLLOUT_MS ? ROTATED_IN : k.name;
  };
  const add = (k: DemoKey, endpoint: Endpoint, at: Date) => {
    const e = ENDPOINTS[endpoint];
    const ip = k.ips(r);
    calls.push({
      key: keyUsed(k, at.getTime(), ip),
      call: {
        at,
        endpoint: e.path,
        method: e.method,
        scope: e.scope,
        ip,
        userAgent: k.userAgent,
        metered: e.metered,
        requestId: `demo-${(seq++).toString(36)}`,
        answer: answerFor(endpoint, r, rfcs),
      },
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
  for (const [i, k] of KEYS.entries()) {
    const n = Math.round(((regular * k.weight) / totalWeight) * spread[i]!);
    for (let j = 0; j < n; j++) add(k, mixPick(k), callTime(r, now, k.quietForDays, createdAt(k, i)));
  }
  // The pipeline's nightly batch every other day: 62 to 89 calls, 0.6 s apart, against 60 a minute.
  const pipeline = KEYS.find((k) => k.name === "Data pipeline")!;
  const partner = KEYS.find((k) => k.name === PARTNER_RESTRICTION.key)!;
  for (let d = 89; d >= pipeline.quietForDays + 1; d -= 2) {
    const t0 = dayAt(d, 8);
    const size = 62 + Math.floor(r() * 28);
    for (let i = 0; i < size; i++) add(pipeline, "validate", new Date(t0 + i * 600));
  }
  // The partner's Monday reconciliation: 32 to 47 calls, 0.75 s apart, against 30 a minute.
  for (let d = 89; d >= 1; d--) {
    const t0 = dayAt(d, 16) + 5_000;
    if (new Date(t0).getUTCDay() !== 1) continue;
    const size = 32 + Math.floor(r() * 16);
    for (let i = 0; i < size; i++) add(partner, "validate", new Date(t0 + i * 750));
  }

  // Replays the calls up to each step of the story, then takes the step: every call meets its
  // key as it was at the call's time (not yet restricted, not yet expired, not yet disabled).
  calls.sort((a, b) => a.call.at.getTime() - b.call.at.getTime());
  const replay: ReplayResult = { admitted: 0, refused: {} };
  let next = 0;
  const replayBefore = async (until: number) => {
    let end = next;
    while (end < calls.length && calls[end]!.call.at.getTime() < until) end++;
    if (end === next) return;
    const part = await replayCalls(
      db,
      calls.slice(next, end).map(({ key, call }) => {
        const keyHash = hashes.get(key);
        if (!keyHash) throw new Error(`demo call at ${call.at.toISOString()} for "${key}" before the story made that key`);
        return { ...call, keyHash };
      }),
    );
    replay.admitted += part.admitted;
    for (const [code, n] of Object.entries(part.refused)) replay.refused[code] = (replay.refused[code] ?? 0) + n;
    next = end;
  };
  for (const step of story.sort((a, b) => a.at - b.at)) {
    await replayBefore(step.at);
    await step.run(new Date(step.at));
  }
  await replayBefore(Infinity);

  await rebuildUsageRollup(db, new Date(now));
  return { userId, teamId, keyIds, replay, calls: calls.length, signInUrl: absoluteUrl("/sign-in") };
}

/** The demo's plan, for the summary line. */
export const DEMO_PLAN = PLANS.business;
