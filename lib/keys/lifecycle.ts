import "server-only";
import type { KeyActivityAction } from "@/lib/activity/activity-actions";
import { asUser } from "@/lib/db/as-user";
import type { Queryable } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { enforcedRateLimit, getPlan, type Plan } from "@/lib/plans";
import type { TeamRole } from "@/lib/teams/teams";
import { displayParts, generateApiKey, hashApiKey } from "./format";
import { MANAGE_SCOPE, type CreateKeyInput, type UpdateKeyInput } from "./key-input.schema";
import { keyViewSchema, type KeyListResponse, type KeyView, type RotationGrace } from "./key-view.schema";
import { graceUntil } from "./rotation";
import { emitKeyDisabled, emitKeyRevoked, emitKeyRotated } from "@/lib/webhooks/key-events";

/**
 * Every rule of a key's life in one place: the dashboard's JSON routes and the public
 * key-management API call these, always as a person (the signed-in user, or the creator of the
 * API key making the call) so row-level security decides which keys exist for them.
 */

/** An API key acting for its creator (the key-management API). */
export interface ActingKey {
  id: string;
  /** First 12 and last 4 characters: shown as `prefix…last4`, never more. */
  prefix: string;
  last4: string;
  scopes: readonly string[];
}

export interface Actor {
  /** The person as whom the change runs: the signed-in user, or the acting key's creator. */
  userId: string;
  teamId: string;
  ip: string;
  /** Set when the change comes through the API: recorded on activity rows, and it bounds the scopes it may hand out. */
  key?: ActingKey;
  /**
   * A transaction already running as `userId` (runAsUser's set-up), to run in instead of a new
   * one: the API records an idempotent answer in the same transaction as the change.
   */
  tx?: Queryable;
}

/** How an acting key is shown: `sk_live_Ab3d…x9Zq`. */
export function keyLabel(k: Pick<ActingKey, "prefix" | "last4">): string {
  return `${k.prefix}…${k.last4}`;
}

export function asActor<T>(actor: Actor, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return actor.tx ? fn(actor.tx) : asUser(actor.userId, fn);
}

type AuditAction = KeyActivityAction;

export const KEY_COLUMNS = `
  k.id, k.name, k.description, k.prefix, k.last4, public.key_status(k) as status, k.created_by,
  p.email as creator_email, k.scopes, k.rate_limit_per_minute, k.ip_allowlist::text[] as ip_allowlist,
  k.use_cap, k.expires_at, k.disabled_reason, k.disabled_by,
  (select d.email from public.profiles d where d.id = k.disabled_by) as disabled_by_email, k.rotated_from_id, k.replaced_by_id, k.grace_until,
  k.created_at, k.last_used_at, host(k.last_used_ip) as last_used_ip,
  case when k.usage_month = date_trunc('month', now() at time zone 'utc')::date then k.uses_month else 0 end as calls_this_month,
  k.uses_total as calls_total,
  case when k.grace_until is not null and (k.expires_at is null or k.grace_until < k.expires_at) then k.grace_until else k.expires_at end as ends_at,
  (select t.plan from public.teams t where t.id = k.team_id) as team_plan`;

/** A key row → its view: the enforced rate (the key's limit capped by the team's plan) is added here. */
export function toKeyView(row: Record<string, unknown>): KeyView {
  const plan = getPlan(String(row.team_plan));
  const chosen = Number(row.rate_limit_per_minute);
  return keyViewSchema.parse({ ...row, rate_limit_enforced: enforcedRateLimit(chosen, plan), plan_name: plan.name });
}

export async function teamPlanAndRole(tx: Queryable, teamId: string): Promise<{ plan: Plan; role: TeamRole }> {
  const { rows } = await tx.query<{ plan: string; role: TeamRole }>(
    `select t.plan, m.role from public.teams t join public.team_members m on m.team_id = t.id and m.user_id = auth.uid()
      where t.id = $1`,
    [teamId],
  );
  if (!rows[0]) throw new AppError("forbidden", "You are not a member of this team.");
  return { plan: getPlan(rows[0].plan), role: rows[0].role };
}

async function audit(tx: Queryable, actor: Actor, keyId: string, action: AuditAction, details: Record<string, unknown> = {}) {
  await tx.query(
    "insert into public.audit_log (team_id, key_id, actor_id, action, details, ip, actor_key_id, actor_key) values ($1, $2, auth.uid(), $3, $4, $5, $6, $7)",
    [actor.teamId, keyId, action, JSON.stringify(details), actor.ip, actor.key?.id ?? null, actor.key ? keyLabel(actor.key) : null],
  );
}

/**
 * What may be handed out: keys:manage only by an owner or admin (as the database's trigger
 * also insists), and through the API never a scope the acting key lacks itself. `granted` are
 * the scopes the change adds (all of them for a new key). Throws AppError `forbidden`.
 */
function checkGrant(actor: Actor, role: TeamRole, granted: readonly string[]) {
  if (granted.includes(MANAGE_SCOPE) && role !== "owner" && role !== "admin") {
    throw new AppError("forbidden", `Only team owners and admins can give a key the ${MANAGE_SCOPE} scope.`);
  }
  const lacking = actor.key ? granted.filter((s) => !actor.key!.scopes.includes(s)) : [];
  if (lacking.length > 0) {
    throw new AppError("forbidden", `This API key cannot give scopes it does not have itself: ${lacking.join(", ")}.`);
  }
}

export async function loadKey(tx: Queryable, teamId: string, keyId: string, lock = true): Promise<KeyView> {
  const { rows } = await tx.query(
    `select ${KEY_COLUMNS} from public.api_keys k left join public.profiles p on p.id = k.created_by
      where k.id = $1 and k.team_id = $2 ${lock ? "for update of k" : ""}`,
    [keyId, teamId],
  );
  if (!rows[0]) throw new AppError("not_found", "That key does not exist or is not yours to manage.");
  return toKeyView(rows[0]);
}

function checkRateCeiling(plan: Plan, rate: number | undefined) {
  if (rate !== undefined && rate > plan.rateCeilingPerMinute) {
    throw new AppError("invalid_request", `The ${plan.name} plan allows at most ${plan.rateCeilingPerMinute} requests per minute per key.`, [
      { path: "rate_limit_per_minute", message: `At most ${plan.rateCeilingPerMinute} on the ${plan.name} plan.` },
    ]);
  }
}

/** Only a key's creator changes what it is; owners and admins may stop anyone's key. */
function requireCreator(key: KeyView, actor: Actor, what: string) {
  if (key.created_by !== actor.userId) throw new AppError("forbidden", `Only the person who created this key can ${what} it.`);
}

function requireNotFinal(key: KeyView) {
  if (key.status === "revoked") throw new AppError("conflict", "This key is revoked; revoked keys cannot be changed.");
}

export async function listKeys(actor: Actor, opts: { includeRevoked: boolean }): Promise<KeyListResponse> {
  return asActor(actor, async (tx) => {
    const { plan, role } = await teamPlanAndRole(tx, actor.teamId);
    const { rows } = await tx.query(
      `select ${KEY_COLUMNS} from public.api_keys k left join public.profiles p on p.id = k.created_by
        where k.team_id = $1 and ($2 or k.revoked_at is null)
        order by k.created_at desc`,
      [actor.teamId, opts.includeRevoked],
    );
    const count = await tx.query<{ n: number }>("select public.team_key_count($1) as n", [actor.teamId]);
    return {
      keys: rows.map(toKeyView),
      limit: { used: count.rows[0]?.n ?? 0, max: plan.keyLimit, plan: plan.name },
      viewer: { user_id: actor.userId, role },
    };
  });
}

async function enforceKeyLimit(tx: Queryable, plan: Plan, role: TeamRole, teamId: string) {
  // Serialises key creation per team, so two concurrent creates cannot both take the last slot.
  await tx.query("select pg_advisory_xact_lock(hashtext('llavero.keys:' || $1::text))", [teamId]);
  const { rows } = await tx.query<{ n: number }>("select public.team_key_count($1) as n", [teamId]);
  const used = rows[0]?.n ?? 0;
  if (used >= plan.keyLimit) {
    const upgrade =
      plan.id === "business"
        ? "Revoke a key you no longer use."
        : role === "owner"
          ? "Revoke a key you no longer use, or upgrade the plan on the Billing page."
          : "Revoke a key you no longer use, or ask the team's owner to upgrade the plan.";
    throw new AppError("limit_reached", `Your team has ${used} of ${plan.keyLimit} keys allowed on the ${plan.name} plan. ${upgrade}`);
  }
}

async function insertKey(
  tx: Queryable,
  actor: Actor,
  fields: { name: string; description: string | null; scopes: string[]; rate: number; allowlist: string[]; useCap: number | null; expiresAt: string | Date | null; rotatedFrom: string | null },
): Promise<{ id: string; secret: string }> {
  const secret = generateApiKey();
  const { prefix, last4 } = displayParts(secret);
  const { rows } = await tx.query<{ id: string }>(
    `insert into public.api_keys (team_id, created_by, name, description, prefix, last4, scopes, rate_limit_per_minute, ip_allowlist, use_cap, expires_at, rotated_from_id)
     values ($1, auth.uid(), $2, $3, $4, $5, $6, $7, $8::cidr[], $9, $10, $11) returning id`,
    [actor.teamId, fields.name, fields.description, prefix, last4, fields.scopes, fields.rate, fields.allowlist, fields.useCap, fields.expiresAt, fields.rotatedFrom],
  );
  const id = rows[0]!.id;
  await tx.query("insert into public.api_key_hashes (key_hash, key_id) values ($1, $2)", [hashApiKey(secret), id]);
  return { id, secret };
}

/** Returns the full key once; only its hash, prefix and last 4 characters are stored. */
export async function createKey(actor: Actor, input: CreateKeyInput): Promise<{ secret: string; key: KeyView }> {
  return asActor(actor, async (tx) => {
    const { plan, role } = await teamPlanAndRole(tx, actor.teamId);
    checkGrant(actor, role, input.scopes);
    checkRateCeiling(plan, input.rate_limit_per_minute);
    await enforceKeyLimit(tx, plan, role, actor.teamId);
    const { id, secret } = await insertKey(tx, actor, {
      name: input.name,
      description: input.description ?? null,
      scopes: input.scopes,
      rate: input.rate_limit_per_minute ?? plan.rateCeilingPerMinute,
      allowlist: input.ip_allowlist,
      useCap: input.use_cap ?? null,
      expiresAt: input.expires_at ?? null,
      rotatedFrom: null,
    });
    await audit(tx, actor, id, "key.created", { name: input.name });
    return { secret, key: await loadKey(tx, actor.teamId, id, false) };
  });
}

const SETTING_COLUMNS = ["description", "scopes", "rate_limit_per_minute", "ip_allowlist", "use_cap", "expires_at"] as const;

/** An edit that sends a value unchanged is not a change: no write, no audit entry. */
function sameSetting(current: unknown, next: unknown): boolean {
  const norm = (v: unknown) => {
    if (v === undefined || v === null || v === "") return null;
    if (Array.isArray(v)) return JSON.stringify([...v].map(String).sort());
    if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T/.test(v)) return new Date(v).toISOString();
    return JSON.stringify(v);
  };
  return norm(current) === norm(next);
}

export async function updateKey(actor: Actor, keyId: string, input: UpdateKeyInput): Promise<KeyView> {
  return asActor(actor, async (tx) => {
    const { plan, role } = await teamPlanAndRole(tx, actor.teamId);
    const key = await loadKey(tx, actor.teamId, keyId);
    requireCreator(key, actor, "edit");
    requireNotFinal(key);
    if (input.scopes) checkGrant(actor, role, input.scopes.filter((s) => !key.scopes.includes(s)));
    // Only a new value must fit the plan: resending the stored one is not a change.
    if (input.rate_limit_per_minute !== key.rate_limit_per_minute) checkRateCeiling(plan, input.rate_limit_per_minute);
    const sets: string[] = [];
    const params: unknown[] = [keyId];
    const changed: string[] = [];
    if (input.name !== undefined && input.name !== key.name) {
      params.push(input.name);
      sets.push(`name = $${params.length}`);
    }
    for (const col of SETTING_COLUMNS) {
      const value = input[col];
      if (value === undefined || sameSetting(key[col], value)) continue;
      params.push(value);
      sets.push(`${col} = $${params.length}${col === "ip_allowlist" ? "::cidr[]" : ""}`);
      changed.push(col);
    }
    if (sets.length === 0) return key;
    await tx.query(`update public.api_keys set ${sets.join(", ")}, updated_at = now() where id = $1`, params);
    if (input.name !== undefined && input.name !== key.name) await audit(tx, actor, keyId, "key.renamed", { from: key.name, to: input.name });
    if (changed.length > 0) await audit(tx, actor, keyId, "key.settings_changed", { fields: changed });
    return loadKey(tx, actor.teamId, keyId, false);
  });
}

/**
 * Disables or enables a key. A disable by an owner or admin (reason `admin`) holds against the
 * key's creator: only an owner or admin enables it again (the database's guard trigger says the
 * same). Throws AppError `forbidden` for a member undoing an admin's disable, `conflict` for a
 * revoked key or one disabled because its creator left. Returns the key as it now is.
 */
export async function setKeyEnabled(actor: Actor, keyId: string, enabled: boolean): Promise<KeyView> {
  return asActor(actor, async (tx) => {
    const { role } = await teamPlanAndRole(tx, actor.teamId);
    const isAdmin = role === "owner" || role === "admin";
    const key = await loadKey(tx, actor.teamId, keyId);
    requireNotFinal(key);
    if (enabled) {
      if (key.disabled_reason === "member_removed") {
        throw new AppError("conflict", "This key was disabled because its creator left the team; it cannot be enabled again.");
      }
      if (key.disabled_reason === null) return key;
      if (key.disabled_reason === "admin" && !isAdmin) {
        throw new AppError("forbidden", "A team owner or admin disabled this key; ask one of them to enable it.");
      }
      await tx.query("update public.api_keys set disabled_at = null, disabled_reason = null, disabled_by = null, updated_at = now() where id = $1", [keyId]);
      await audit(tx, actor, keyId, "key.enabled");
    } else {
      if (key.disabled_reason !== null) return key;
      await tx.query("update public.api_keys set disabled_at = now(), disabled_reason = $2, disabled_by = auth.uid(), updated_at = now() where id = $1", [
        keyId,
        isAdmin ? "admin" : "user",
      ]);
      await audit(tx, actor, keyId, "key.disabled", { by_role: role });
      await emitKeyDisabled(tx, actor.teamId, key, isAdmin ? "admin" : "user");
    }
    return loadKey(tx, actor.teamId, keyId, false);
  });
}

/**
 * A new key with the same settings; the old one keeps working until its grace period ends
 * (capped at its own expiry). The pair stays linked both ways.
 */
export async function rotateKey(actor: Actor, keyId: string, grace: RotationGrace): Promise<{ secret: string; key: KeyView; previous: KeyView }> {
  return asActor(actor, async (tx) => {
    const { role } = await teamPlanAndRole(tx, actor.teamId);
    const old = await loadKey(tx, actor.teamId, keyId);
    requireCreator(old, actor, "rotate");
    requireNotFinal(old);
    // The replacement is a new key: it may carry only what the actor may hand out now.
    checkGrant(actor, role, old.scopes);
    if (old.replaced_by_id) throw new AppError("conflict", "This key has already been rotated. Rotate its replacement instead.");
    if (old.status === "expired") throw new AppError("conflict", "This key has expired. Create a new key instead.");
    if (old.status === "disabled") throw new AppError("conflict", "Enable this key before rotating it.");
    const { id, secret } = await insertKey(tx, actor, {
      name: old.name,
      description: old.description,
      scopes: old.scopes,
      rate: old.rate_limit_per_minute,
      allowlist: old.ip_allowlist,
      useCap: old.use_cap,
      expiresAt: old.expires_at,
      rotatedFrom: old.id,
    });
    const { rows } = await tx.query<{ now: Date }>("select now() as now");
    const until = graceUntil(rows[0]!.now, grace, old.expires_at ? new Date(old.expires_at) : null);
    await tx.query("update public.api_keys set replaced_by_id = $2, grace_until = $3, updated_at = now() where id = $1", [old.id, id, until]);
    await audit(tx, actor, old.id, "key.rotated", { new_key_id: id, grace, grace_until: until.toISOString() });
    await emitKeyRotated(tx, actor.teamId, old, id, until);
    return { secret, key: await loadKey(tx, actor.teamId, id, false), previous: await loadKey(tx, actor.teamId, old.id, false) };
  });
}

export async function revokeKey(actor: Actor, keyId: string): Promise<KeyView> {
  return asActor(actor, async (tx) => {
    const key = await loadKey(tx, actor.teamId, keyId);
    if (key.status === "revoked") return key;
    await tx.query("update public.api_keys set revoked_at = now(), updated_at = now() where id = $1", [keyId]);
    await audit(tx, actor, keyId, "key.revoked");
    await emitKeyRevoked(tx, actor.teamId, key);
    return loadKey(tx, actor.teamId, keyId, false);
  });
}
