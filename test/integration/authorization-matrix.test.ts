import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setDbForTesting } from "@/lib/db";
import { flushCallLog } from "@/lib/public-api/call-log";
import { openPostgresTestDb, testDatabases, type TestDatabase } from "../databases";
import {
  ACTORS,
  callRouteAs,
  discoverSurfaces,
  makeTargets,
  makeWorld,
  repairWorld,
  runAs,
  sessionOf,
  snapshot,
  type ActorName,
  type Observed,
  type Surface,
  type Targets,
  type World,
} from "../authz/harness";

vi.mock("next/headers", () => import("../next-request-scope"));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

/**
 * Issue 9's authorization matrix: every dashboard route, public route, server action and page
 * (found on disk: a new one without a row below fails the suite) × anonymous, the owner of another
 * team, and team A's member, admin and owner. Each cell runs in-process with a real built-in session
 * against fresh targets in team A and checks the outcome, that no other team's data is in the
 * answer, and that a refused write (and anything the anonymous or the other team does) leaves team
 * A's rows unchanged. On PostgreSQL when TEST_DATABASE_URL is set, else PGlite.
 */

type Expect = Record<ActorName, string>;
const all = (o: string): Expect => ({ anonymous: o, otherTeam: o, member: o, admin: o, owner: o });
const signedIn = (anonymous: string, o: string): Expect => ({ anonymous, otherTeam: o, member: o, admin: o, owner: o });
/**
 * Team A's key, created by its owner: hidden from the other team and from a member (404); an admin
 * may stop it (disable, enable, revoke) and read its history, but only its creator changes what it
 * is (edit, rotate: 403).
 */
const ownersKey = (ok: string, admin = ok): Expect => ({ anonymous: "401", otherTeam: "404", member: "404", admin, owner: ok });

interface Row {
  expect: Expect;
  /** Team A text this surface may show anyone (the invitation page names the team to the token's holder). */
  reveals?: string[];
  /** The body a write sends (routes), the input an action gets. */
  input?: (t: Targets, w: World) => unknown;
}

const KEY_BODY = { name: "Matrix key", scopes: ["ping"], ip_allowlist: [] };
const PUBLIC_NO_KEY = all("401");
/**
 * A public API route: the methods it serves answer 401 to everyone (a session cookie never stands
 * in for a key), the others 405, OPTIONS 204 (CORS preflight).
 */
function publicRoute(url: string, served: Partial<Record<"GET" | "POST" | "PATCH", Row>>): Record<string, Row> {
  const out: Record<string, Row> = {};
  for (const m of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) out[`${m} ${url}`] = (served as Record<string, Row | undefined>)[m] ?? { expect: all("405") };
  out[`OPTIONS ${url}`] = { expect: all("204") };
  return out;
}
/**
 * Webhooks (lib/webhooks/endpoints.ts requireWebhookAdmin): owners and admins of the current team
 * only, a member 403. The other team's owner acts on its own team (`otherTeam`: its answer for
 * team B, e.g. an empty list) and finds none of team A's endpoints or deliveries (404).
 */
const webhookAdmin = (ok: string, otherTeam = ok): Expect => ({ anonymous: "401", otherTeam, member: "403", admin: ok, owner: ok });
/** Only the team's owner (billing): an admin or member 403; the other team's owner acts on team B. */
const teamOwner = (ok: string): Expect => ({ anonymous: "401", otherTeam: ok, member: "403", admin: "403", owner: ok });

/** One row per surface. Missing or extra rows fail the suite. */
const ROWS: Record<string, Row> = {
  // Dashboard JSON routes (session cookie).
  "GET /api/keys": { expect: signedIn("401", "200") },
  "POST /api/keys": { expect: signedIn("401", "201"), input: () => KEY_BODY },
  "PATCH /api/keys/[keyId]": { expect: ownersKey("200", "403"), input: () => ({ name: "Renamed by matrix" }) },
  "POST /api/keys/[keyId]/disable": { expect: ownersKey("200"), input: () => ({}) },
  "POST /api/keys/[keyId]/enable": { expect: ownersKey("200"), input: () => ({}) },
  "POST /api/keys/[keyId]/revoke": { expect: ownersKey("200"), input: () => ({}) },
  "POST /api/keys/[keyId]/rotate": { expect: ownersKey("201", "403"), input: () => ({ grace: "none" }) },
  "GET /api/keys/[keyId]/calls": { expect: ownersKey("200") },
  "GET /api/keys/[keyId]/calls/export": { expect: ownersKey("200") },
  "GET /api/audit-log": { expect: signedIn("401", "200") },
  "GET /api/usage": { expect: signedIn("401", "200") },
  "GET /api/webhooks/endpoints": { expect: webhookAdmin("200") },
  "POST /api/webhooks/endpoints": { expect: webhookAdmin("201"), input: () => ({ url: "https://1.1.1.1/matrix-hook", description: "Created by matrix", event_types: [] }) },
  "GET /api/webhooks/endpoints/[endpointId]": { expect: webhookAdmin("200", "404") },
  "PATCH /api/webhooks/endpoints/[endpointId]": { expect: webhookAdmin("200", "404"), input: () => ({ description: "Changed by matrix" }) },
  "DELETE /api/webhooks/endpoints/[endpointId]": { expect: webhookAdmin("200", "404"), input: () => ({}) },
  "POST /api/webhooks/endpoints/[endpointId]/disable": { expect: webhookAdmin("200", "404"), input: () => ({}) },
  "POST /api/webhooks/endpoints/[endpointId]/enable": { expect: webhookAdmin("200", "404"), input: () => ({}) },
  "POST /api/webhooks/endpoints/[endpointId]/rotate": { expect: webhookAdmin("201", "404"), input: () => ({}) },
  "POST /api/webhooks/endpoints/[endpointId]/test": { expect: webhookAdmin("202", "404"), input: () => ({}) },
  "GET /api/webhooks/deliveries": { expect: webhookAdmin("200") },
  "POST /api/webhooks/deliveries/[deliveryId]/resend": { expect: webhookAdmin("202", "404"), input: () => ({}) },
  "POST /api/webhooks/replay": { expect: webhookAdmin("202"), input: () => ({ since: new Date(Date.now() - 3_600_000).toISOString() }) },
  "GET /api/webhooks/thresholds": { expect: webhookAdmin("200") },
  "PUT /api/webhooks/thresholds": { expect: webhookAdmin("200"), input: () => ({ percents: [25, 90] }) },
  // Billing. Members see the plan and quota only (lib/billing/overview.ts).
  "GET /api/billing/status": { expect: signedIn("401", "200") },
  "POST /api/billing/hard-cap": { expect: teamOwner("200"), input: () => ({ cap: 1234 }) },
  // Stripe Checkout and the customer portal are owner only (lib/billing/sessions.ts), checked before
  // the configuration: without STRIPE_SECRET_KEY (this test) an owner gets 409, anyone else 403.
  "POST /api/billing/checkout": { expect: teamOwner("409"), input: () => ({ plan: "pro" }) },
  "POST /api/billing/portal": { expect: teamOwner("409"), input: () => ({}) },
  // Stripe's own webhook: signed by Stripe, no session; 404 while Stripe is not configured.
  "POST /api/stripe/webhook": { expect: all("404"), input: () => ({ type: "customer.subscription.deleted" }) },
  // Bench-only route: 404 unless LLAVERO_BENCH_ROUTES; no session involved.
  "GET /api/bench/constant": { expect: all("404") },
  // Public API: a session cookie never stands in for a key.
  "GET /api/public/ping": { expect: PUBLIC_NO_KEY },
  "POST /api/public/ping": { expect: all("405") },
  "PUT /api/public/ping": { expect: all("405") },
  "PATCH /api/public/ping": { expect: all("405") },
  "DELETE /api/public/ping": { expect: all("405") },
  "OPTIONS /api/public/ping": { expect: all("204") },
  "GET /api/public/validate": { expect: all("405") },
  "POST /api/public/validate": { expect: PUBLIC_NO_KEY, input: () => ({ rfc: "GODE561231GR8" }) },
  "PUT /api/public/validate": { expect: all("405") },
  "PATCH /api/public/validate": { expect: all("405") },
  "DELETE /api/public/validate": { expect: all("405") },
  "OPTIONS /api/public/validate": { expect: all("204") },
  "GET /api/public/audit": { expect: PUBLIC_NO_KEY },
  "POST /api/public/audit": { expect: PUBLIC_NO_KEY, input: () => ({ rfcs: ["GODE561231GR8"] }) },
  "PUT /api/public/audit": { expect: all("405") },
  "PATCH /api/public/audit": { expect: all("405") },
  "DELETE /api/public/audit": { expect: all("405") },
  "OPTIONS /api/public/audit": { expect: all("204") },
  "GET /api/public/audit/[audit_id]": { expect: PUBLIC_NO_KEY },
  "POST /api/public/audit/[audit_id]": { expect: all("405") },
  "PUT /api/public/audit/[audit_id]": { expect: all("405") },
  "PATCH /api/public/audit/[audit_id]": { expect: all("405") },
  "DELETE /api/public/audit/[audit_id]": { expect: all("405") },
  "OPTIONS /api/public/audit/[audit_id]": { expect: all("204") },
  "GET /api/public/openapi.json": { expect: all("200") },
  "POST /api/public/openapi.json": { expect: all("405") },
  "PUT /api/public/openapi.json": { expect: all("405") },
  "PATCH /api/public/openapi.json": { expect: all("405") },
  "DELETE /api/public/openapi.json": { expect: all("405") },
  "OPTIONS /api/public/openapi.json": { expect: all("204") },
  ...publicRoute("/api/public/keys", { GET: { expect: PUBLIC_NO_KEY }, POST: { expect: PUBLIC_NO_KEY, input: () => KEY_BODY } }),
  ...publicRoute("/api/public/keys/[key_id]", { GET: { expect: PUBLIC_NO_KEY }, PATCH: { expect: PUBLIC_NO_KEY, input: () => ({ name: "Renamed by matrix" }) } }),
  ...publicRoute("/api/public/keys/[key_id]/disable", { POST: { expect: PUBLIC_NO_KEY, input: () => ({}) } }),
  ...publicRoute("/api/public/keys/[key_id]/enable", { POST: { expect: PUBLIC_NO_KEY, input: () => ({}) } }),
  ...publicRoute("/api/public/keys/[key_id]/revoke", { POST: { expect: PUBLIC_NO_KEY, input: () => ({}) } }),
  ...publicRoute("/api/public/keys/[key_id]/rotate", { POST: { expect: PUBLIC_NO_KEY, input: () => ({ grace: "none" }) } }),
  ...publicRoute("/api/public/me", { GET: { expect: PUBLIC_NO_KEY } }),
  ...publicRoute("/api/public/subscription", { GET: { expect: PUBLIC_NO_KEY } }),
  ...publicRoute("/api/public/license", { POST: { expect: PUBLIC_NO_KEY, input: () => ({}) } }),
  // The license tokens' public keys: open to anyone, no key needed.
  ...publicRoute("/api/public/jwks.json", { GET: { expect: all("200") } }),
  "GET /api/public/[...path]": { expect: all("404") },
  "POST /api/public/[...path]": { expect: all("404") },
  "PUT /api/public/[...path]": { expect: all("404") },
  "PATCH /api/public/[...path]": { expect: all("404") },
  "DELETE /api/public/[...path]": { expect: all("404") },
  "OPTIONS /api/public/[...path]": { expect: all("404") },
  // Server actions.
  "action auth.signUpAction": { expect: all("redirect:/keys") },
  "action auth.signInAction": { expect: all("refused") },
  "action auth.signOutAction": { expect: all("redirect:/sign-in") },
  // Only clears the caller's own first-key reveal cookie (lib/keys/first-key.ts): nothing to refuse.
  "action auth.dismissFirstKeyAction": { expect: all("ok") },
  "action billing.setPlanAction": { expect: { anonymous: "redirect:/sign-in", otherTeam: "ok", member: "refused", admin: "refused", owner: "ok" }, input: () => ({ plan: "business" }) },
  "action teams.inviteAction": { expect: { anonymous: "redirect:/sign-in", otherTeam: "ok", member: "refused", admin: "ok", owner: "ok" }, input: () => ({ email: `new-${Math.random().toString(36).slice(2)}@matrix.example`, role: "member" }) },
  "action teams.revokeInvitationAction": { expect: { anonymous: "redirect:/sign-in", otherTeam: "refused", member: "refused", admin: "ok", owner: "ok" }, input: (t) => ({ invitationId: t.invitationId }) },
  "action teams.changeRoleAction": { expect: { anonymous: "redirect:/sign-in", otherTeam: "refused", member: "refused", admin: "ok", owner: "ok" }, input: (t) => ({ userId: t.extraUserId, role: "admin" }) },
  "action teams.removeMemberAction": { expect: { anonymous: "redirect:/sign-in", otherTeam: "refused", member: "refused", admin: "ok", owner: "ok" }, input: (t) => ({ userId: t.extraUserId }) },
  "action teams.leaveTeamAction": { expect: { anonymous: "redirect:/sign-in", otherTeam: "refused", member: "ok", admin: "ok", owner: "refused" }, input: () => ({}) },
  "action teams.switchTeamAction": { expect: { anonymous: "redirect:/sign-in", otherTeam: "refused", member: "ok", admin: "ok", owner: "ok" }, input: (_t, w) => ({ teamId: w.teamA }) },
  "action teams.renameTeamAction": { expect: { anonymous: "redirect:/sign-in", otherTeam: "ok", member: "refused", admin: "refused", owner: "ok" }, input: () => ({ name: "Renamed by matrix" }) },
  "action teams.createTeamAction": { expect: signedIn("redirect:/sign-in", "ok"), input: () => ({ name: "Matrix extra team" }) },
  "action teams.acceptInvitationAction": { expect: signedIn("redirect:/sign-in", "refused") },
  // Pages (the dashboard's run under its layout, which requires a session).
  "page /": { expect: signedIn("redirect:/sign-in", "redirect:/keys") },
  "page /sign-in": { expect: signedIn("ok", "redirect:/keys") },
  "page /sign-up": { expect: signedIn("ok", "redirect:/keys") },
  "page /invite/[token]": { expect: all("ok"), reveals: ["Team Alpha"] },
  "page /api-docs": { expect: signedIn("redirect:/sign-in", "ok") },
  "page /api-docs/[operation]": { expect: signedIn("redirect:/sign-in", "ok") },
  "page /api-docs/try-it": { expect: signedIn("redirect:/sign-in", "ok") },
  "page /api-docs/webhooks": { expect: signedIn("redirect:/sign-in", "ok") },
  "page /audit-log": { expect: signedIn("redirect:/sign-in", "ok") },
  "page /billing": { expect: signedIn("redirect:/sign-in", "ok") },
  "page /keys": { expect: signedIn("redirect:/sign-in", "ok") },
  "page /keys/[keyId]": { expect: signedIn("redirect:/sign-in", "ok") },
  "page /team": { expect: signedIn("redirect:/sign-in", "ok") },
  "page /usage": { expect: signedIn("redirect:/sign-in", "ok") },
  // A member gets the page with "only owners and admins manage webhooks" and no data.
  "page /webhooks": { expect: signedIn("redirect:/sign-in", "ok") },
};

const REFUSED = /^(4\d\d|refused|redirect:\/sign-in|not_found)$/;

function fill(template: string, t: Targets): { url: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const url = template
    .replace("[keyId]", () => ((params.keyId = t.keyId), t.keyId))
    .replace("[key_id]", () => ((params.key_id = t.keyId), t.keyId))
    .replace("[endpointId]", () => ((params.endpointId = t.endpointId), t.endpointId))
    .replace("[deliveryId]", () => ((params.deliveryId = t.deliveryId), t.deliveryId))
    .replace("[audit_id]", () => ((params.audit_id = "00000000-0000-4000-8000-000000000000"), params.audit_id))
    .replace("[...path]", () => ((params.path = "nothing/here"), "nothing/here"))
    .replace("[token]", () => ((params.token = t.invitationToken), t.invitationToken))
    .replace("[operation]", () => ((params.operation = "ping"), "ping"));
  return { url, params };
}

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

async function runCell(s: Surface, row: Row, actor: ActorName, w: World, t: Targets): Promise<Observed> {
  const session = await sessionOf(w, actor);
  const mod = (await import(/* @vite-ignore */ s.file)) as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const fn = mod[s.exportName]!;
  if (s.kind === "route") {
    const [method, template] = s.id.split(" ") as [string, string];
    const { url, params } = fill(template, t);
    return callRouteAs(fn, method, url, params, session, row.input?.(t, w));
  }
  if (s.kind === "action") {
    const name = s.exportName;
    if (name === "signUpAction") return runAs(session, () => fn({}, form({ email: `signup-${Math.random().toString(36).slice(2)}@matrix.example`, password: "correct horse battery staple" })));
    if (name === "signInAction") return runAs(session, () => fn({}, form({ email: `nobody-${Math.random().toString(36).slice(2)}@matrix.example`, password: "not the password at all" })));
    if (name === "signOutAction") return runAs(session, () => fn());
    if (name === "acceptInvitationAction") return runAs(session, () => fn(t.invitationToken));
    return runAs(session, () => fn(row.input?.(t, w)));
  }
  const template = s.id.slice("page ".length);
  const { params } = fill(template, t);
  const props = { params: Promise.resolve(params), searchParams: Promise.resolve({}) };
  const layoutFile = path.join(path.dirname(s.file).split(`${path.sep}(dashboard)${path.sep}`)[0]!, "(dashboard)", "layout.tsx");
  const underDashboard = s.file.includes(`${path.sep}(dashboard)${path.sep}`);
  return runAs(session, async () => {
    const layout = underDashboard && fs.existsSync(layoutFile) ? await ((await import(/* @vite-ignore */ layoutFile)) as { default: (p: unknown) => Promise<unknown> }).default({ children: null }) : null;
    return { layout, page: await fn(props) };
  });
}

const factory = process.env.TEST_DATABASE_URL ? { name: "postgres", open: () => openPostgresTestDb(10) } : testDatabases()[0]!;

describe(`authorization matrix (${factory.name})`, () => {
  let t: TestDatabase;
  let w: World;
  let surfaces: Surface[];

  beforeAll(async () => {
    t = await factory.open();
    setDbForTesting(t.db);
    w = await makeWorld(t.db);
    surfaces = await discoverSurfaces();
  });
  afterAll(async () => {
    await flushCallLog();
    setDbForTesting(undefined);
    await t?.dispose();
  });

  it("has exactly one row per route export, server action and page found on disk", () => {
    const found = surfaces.map((s) => s.id);
    expect(found.filter((id) => !(id in ROWS)), "surfaces without a row: add them to ROWS").toEqual([]);
    expect(Object.keys(ROWS).filter((id) => !found.includes(id)), "rows for surfaces that no longer exist").toEqual([]);
  });

  it("every cell: expected outcome, no other team's data, no change after a refusal", async () => {
    setDbForTesting(t.db);
    const observed: Record<string, Partial<Expect>> = {};
    const failures: string[] = [];
    let cells = 0;
    const otherTeamSecrets = () => ["Team Bravo", w.teamB, w.users.otherTeam.email];
    for (const s of surfaces) {
      const row = ROWS[s.id];
      if (!row) continue;
      for (const actor of ACTORS) {
        await repairWorld(w);
        const targets = await makeTargets(w);
        const before = await snapshot(w);
        const got = await runCell(s, row, actor, w, targets);
        const after = await snapshot(w);
        cells++;
        (observed[s.id] ??= {})[actor] = got.outcome;
        const where = `${s.id} as ${actor}`;
        if (got.outcome !== row.expect[actor]) failures.push(`${where}: expected ${row.expect[actor]}, got ${got.outcome} ${got.text.slice(0, 160)}`);
        const forbidden = actor === "otherTeam" ? ["Team Alpha", "Alpha key", "Alpha hook", "alpha-hook", targets.endpointId, w.users.owner.email, w.users.admin.email, w.users.member.email] : actor === "anonymous" ? [...otherTeamSecrets(), "Team Alpha", "Alpha key", "Alpha hook", "alpha-hook", w.users.owner.email] : otherTeamSecrets();
        for (const f of forbidden) if (!row.reveals?.includes(f) && got.text.includes(f)) failures.push(`${where}: the answer shows ${JSON.stringify(f)}`);
        if ((REFUSED.test(got.outcome) || actor === "anonymous" || actor === "otherTeam") && before !== after) failures.push(`${where}: team A changed after ${got.outcome}`);
      }
    }
    if (process.env.MATRIX_PRINT) console.log(JSON.stringify(observed, null, 1));
    console.log(`authorization matrix: ${surfaces.length} rows x ${ACTORS.length} actors = ${cells} cells`);
    expect(failures).toEqual([]);
    expect(cells).toBe(Object.keys(ROWS).length * ACTORS.length);
  }, 600_000);
});
