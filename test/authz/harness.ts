import fs from "node:fs";
import path from "node:path";
import { createKey } from "@/lib/keys/lifecycle";
import { generateWebhookSecret, sealWebhookSecret } from "@/lib/webhooks/secret";
import { createInvitation, invitationPath } from "@/lib/teams/invitations";
import type { Database } from "@/lib/db/types";
import { addMember, createTeamAs, createUser } from "../fixtures";
import { callRoute, dashboardRequest, sessionFor } from "../dashboard-fixtures";
import { inRequestScope } from "../next-request-scope";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { siteOrigin } from "@/lib/site-url";

/**
 * The authorization matrix's moving parts: the list of everything a person can reach (found on
 * disk, so a new route, action or page shows up without anyone remembering it), two teams with
 * every role, a fresh target per cell, and a snapshot of the tables a refused write must not change.
 */

export const ACTORS = ["anonymous", "otherTeam", "member", "admin", "owner"] as const;
export type ActorName = (typeof ACTORS)[number];

const ROOT = path.resolve(import.meta.dirname, "../..");
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

function walk(dir: string, file: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p, file));
    else if (e.name === file) out.push(p);
  }
  return out;
}

/** `app/api/keys/[keyId]/route.ts` → `/api/keys/[keyId]`; route groups `(x)` dropped. */
function urlOf(file: string, suffix: string): string {
  const rel = path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep);
  return "/" + rel.filter((s) => !/^\(.*\)$/.test(s) && s !== suffix).join("/");
}

export interface Surface {
  /** "POST /api/keys/[keyId]/revoke", "action teams.inviteAction", "page /keys/[keyId]" */
  id: string;
  kind: "route" | "action" | "page";
  file: string;
  exportName: string;
}

/** Every route handler export, every exported server action, every page, from the file system. */
export async function discoverSurfaces(): Promise<Surface[]> {
  const out: Surface[] = [];
  for (const file of walk(path.join(ROOT, "app/api"), "route.ts")) {
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    for (const m of HTTP_METHODS) if (typeof mod[m] === "function") out.push({ id: `${m} ${urlOf(file, "")}`, kind: "route", file, exportName: m });
  }
  for (const dir of fs.readdirSync(path.join(ROOT, "lib"))) {
    const file = path.join(ROOT, "lib", dir, "actions.ts");
    if (!fs.existsSync(file)) continue;
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    for (const [name, v] of Object.entries(mod)) if (typeof v === "function") out.push({ id: `action ${dir}.${name}`, kind: "action", file, exportName: name });
  }
  for (const file of walk(path.join(ROOT, "app"), "page.tsx")) out.push({ id: `page ${urlOf(file, "")}`.replace(/ \/$/, " /"), kind: "page", file, exportName: "default" });
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

export interface World {
  db: Database;
  teamA: string;
  teamB: string;
  users: Record<Exclude<ActorName, "anonymous">, { id: string; email: string }>;
}

let n = 0;
const email = (tag: string) => `${tag}-${Date.now().toString(36)}-${n++}@matrix.example`;

/** Team A (owner, admin, member) and team B (its owner is the "other team" actor), Business plan. */
export async function makeWorld(db: Database): Promise<World> {
  const users = {} as World["users"];
  for (const a of ["owner", "admin", "member", "otherTeam"] as const) {
    const e = email(a);
    users[a] = { id: await createUser(db, e), email: e };
  }
  const teamA = await createTeamAs(db, users.owner.id, "Team Alpha");
  const teamB = await createTeamAs(db, users.otherTeam.id, "Team Bravo");
  await db.query("update public.teams set plan = 'business'");
  await addMember(db, teamA, users.admin.id, "admin");
  await addMember(db, teamA, users.member.id, "member");
  return { db, teamA, teamB, users };
}

/** Puts every actor back in its team, role and current team (a cell may have left, been removed or switched). */
export async function repairWorld(w: World): Promise<void> {
  const { db } = w;
  // Each cell makes keys; the plan's key limit counts the unrevoked ones.
  await db.query("update public.api_keys set revoked_at = now() where team_id in ($1, $2) and revoked_at is null", [w.teamA, w.teamB]);
  await db.query("update public.teams set plan = 'business', name = case when id = $1 then 'Team Alpha' else name end where id in ($1, $2)", [w.teamA, w.teamB]);
  for (const [who, role] of [["admin", "admin"], ["member", "member"]] as const) {
    await db.query(
      "insert into public.team_members (team_id, user_id, role) values ($1, $2, $3) on conflict (team_id, user_id) do update set role = excluded.role",
      [w.teamA, w.users[who].id, role],
    );
  }
  for (const who of ["owner", "admin", "member"] as const) await db.query("update public.profiles set current_team_id = $1 where id = $2", [w.teamA, w.users[who].id]);
  await db.query("update public.profiles set current_team_id = $1 where id = $2", [w.teamB, w.users.otherTeam.id]);
}

/** Targets in team A, made fresh for one cell. */
export interface Targets {
  keyId: string;
  invitationId: string;
  invitationToken: string;
  /** An extra member of team A, for role changes and removals. */
  extraUserId: string;
  /** Team A's one webhook endpoint (enabled), made fresh for this cell. */
  endpointId: string;
  /** A failed delivery of a message to that endpoint (resend and replay have something to queue). */
  deliveryId: string;
}

export async function makeTargets(w: World): Promise<Targets> {
  const owner = { userId: w.users.owner.id, teamId: w.teamA, ip: "127.0.0.1" };
  const { key } = await createKey(owner, { name: "Alpha key", scopes: ["ping"], ip_allowlist: [] });
  const inv = await createInvitation(w.users.owner.id, w.teamA, email("invitee"), "member");
  const extraUserId = await createUser(w.db, email("extra"));
  await addMember(w.db, w.teamA, extraUserId, "member");
  // One endpoint per cell: the previous cells' endpoints (and their deliveries) go, so every key
  // event is not fanned out to hundreds of them.
  await w.db.query("delete from public.webhook_endpoints where team_id in ($1, $2)", [w.teamA, w.teamB]);
  await w.db.query("delete from public.webhook_quota_thresholds where team_id in ($1, $2)", [w.teamA, w.teamB]);
  await w.db.query("insert into public.webhook_quota_thresholds (team_id, percent) values ($1, 50)", [w.teamA]);
  // Stored as the app stores it: sealed, bound to the row's id (the database refuses a clear secret).
  const id = crypto.randomUUID();
  const ep = await w.db.query<{ id: string }>(
    "insert into public.webhook_endpoints (id, team_id, url, description, secret, created_by) values ($4, $1, 'https://1.1.1.1/alpha-hook', 'Alpha hook', $2, $3) returning id",
    [w.teamA, sealWebhookSecret(generateWebhookSecret(), id), w.users.owner.id, id],
  );
  const endpointId = ep.rows[0]!.id;
  const msg = await w.db.query<{ id: string }>(
    "insert into public.webhook_messages (event_id, team_id, type, payload) values ($1, $2, 'webhook.test', '{}'::jsonb) returning id",
    [`msg_matrix${Date.now().toString(36)}${n++}`, w.teamA],
  );
  const del = await w.db.query<{ id: string }>(
    "insert into public.webhook_deliveries (message_id, endpoint_id, team_id, status, attempts) values ($1, $2, $3, 'failed', 1) returning id::text",
    [msg.rows[0]!.id, endpointId, w.teamA],
  );
  return { keyId: key.id, invitationId: inv.id, invitationToken: inv.token, extraUserId, endpointId, deliveryId: del.rows[0]!.id };
}

/**
 * Team A's rows in the tables a write can touch, as one string: equal before and after a refused
 * write, and after anything the anonymous or the other team's owner does.
 */
export async function snapshot(w: World): Promise<string> {
  const queries = [
    ["api_keys", "select x::text as r from public.api_keys x where team_id = $1"],
    ["team_members", "select x::text as r from public.team_members x where team_id = $1"],
    ["invitations", "select x::text as r from public.invitations x where team_id = $1"],
    ["teams", "select x::text as r from public.teams x where id = $1"],
    ["audit_log", "select x::text as r from public.audit_log x where team_id = $1"],
    ["profiles", "select x::text as r from public.profiles x where id in (select user_id from public.team_members where team_id = $1)"],
    ["webhook_endpoints", "select x::text as r from public.webhook_endpoints x where team_id = $1"],
    ["webhook_messages", "select x::text as r from public.webhook_messages x where team_id = $1"],
    ["webhook_deliveries", "select x::text as r from public.webhook_deliveries x where team_id = $1"],
    ["webhook_quota_thresholds", "select x::text as r from public.webhook_quota_thresholds x where team_id = $1"],
    ["team_billing", "select x::text as r from public.team_billing x where team_id = $1"],
  ] as const;
  const parts: string[] = [];
  for (const [name, sql] of queries) {
    const { rows } = await w.db.query<{ r: string }>(sql, [w.teamA]);
    parts.push(`${name}:${rows.map((x) => x.r).sort().join("|")}`);
  }
  return parts.join("\n");
}

export async function sessionOf(w: World, actor: ActorName): Promise<string | null> {
  return actor === "anonymous" ? null : sessionFor(w.users[actor].id);
}

/** What a cell observed: an HTTP status, or for actions and pages "ok" / "refused" / "redirect:<path>" / "not_found". */
export interface Observed {
  outcome: string;
  text: string;
}

export async function callRouteAs(handler: unknown, method: string, url: string, params: Record<string, string>, session: string | null, body?: unknown): Promise<Observed> {
  const req = dashboardRequest(url, { method, session, ...(body !== undefined ? { body } : {}) });
  const res = await callRoute(handler, req, params);
  const text = method === "HEAD" ? "" : await res.text();
  return { outcome: String(res.status), text };
}

function scopeHeaders(session: string | null): Headers {
  const h = new Headers({ origin: siteOrigin(), "x-llavero-socket-ip": "127.0.0.1", host: new URL(siteOrigin()).host });
  if (session) h.set("cookie", `${SESSION_COOKIE}=${session}`);
  return h;
}

function controlFlow(err: unknown): Observed | null {
  const digest = (err as { digest?: unknown })?.digest;
  if (typeof digest !== "string") return null;
  if (digest.startsWith("NEXT_REDIRECT")) return { outcome: `redirect:${digest.split(";")[2]?.split("?")[0]}`, text: "" };
  if (digest.startsWith("NEXT_HTTP_ERROR_FALLBACK;404")) return { outcome: "not_found", text: "" };
  return null;
}

/** Runs a server action (or a page function) as Next would for a request with this session. */
export async function runAs(session: string | null, fn: () => Promise<unknown>): Promise<Observed> {
  return inRequestScope(scopeHeaders(session), async () => {
    try {
      const r = await fn();
      const text = serialise(r);
      if (r && typeof r === "object" && "ok" in r) return { outcome: (r as { ok: boolean }).ok ? "ok" : "refused", text };
      if (r && typeof r === "object" && ("message" in r || "fieldErrors" in r)) return { outcome: "refused", text };
      return { outcome: "ok", text };
    } catch (err) {
      const cf = controlFlow(err);
      if (cf) return cf;
      throw err;
    }
  });
}

/** A React element tree (or any value) as text, for "does another team's name appear?". */
export function serialise(v: unknown): string {
  const seen = new WeakSet();
  return (
    JSON.stringify(v, (_k, x: unknown) => {
      if (typeof x === "function") return undefined;
      if (typeof x === "symbol") return String(x);
      if (x && typeof x === "object") {
        if (seen.has(x)) return undefined;
        seen.add(x);
      }
      return x;
    }) ?? ""
  );
}

export { invitationPath };
