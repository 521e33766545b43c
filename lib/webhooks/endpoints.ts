// Endpoint rules for the dashboard: owners and admins only. Reads and plain edits run as the
// user (row-level security decides); writes of the secret run on the server's connection after
// the same role check, because no grant lets a user read or write a secret column. Secrets are
// stored sealed (lib/webhooks/secret.ts); the clear secret is only ever returned by create and rotate.
import { randomUUID } from "node:crypto";
import type { Database, Queryable } from "@/lib/db/types";
import { runAsUser } from "@/lib/db/run-as-user";
import { AppError } from "@/lib/errors";
import { emitWebhookEvent } from "./emit";
import { TEST_EVENT_DATA } from "./events.schema";
import type { CreateEndpointInput, UpdateEndpointInput } from "./endpoint-input.schema";
import { generateWebhookSecret, isLegacyClearSecret, ROTATION_OVERLAP_MS, sealWebhookSecret } from "./secret";
import { checkEndpointHost, systemResolver, type Resolver } from "./ssrf";

export interface WebhookActor {
  userId: string;
  teamId: string;
}

export interface UrlPolicy {
  allowPrivate: boolean;
  /** Not production: a refusal also says how a developer sends webhooks to their own machine. */
  development?: boolean;
  resolve?: Resolver;
}

const DEVELOPMENT_HINT = " To send webhooks to this machine while developing, start the server with WEBHOOKS_ALLOW_PRIVATE=true.";

export interface EndpointView {
  id: string;
  url: string;
  description: string | null;
  event_types: string[];
  enabled: boolean;
  disabled_reason: "user" | "gone" | "failing" | null;
  disabled_at: string | null;
  previous_secret_expires_at: string | null;
  failing_since: string | null;
  created_at: string;
}

const COLUMNS = `id, url, description, event_types, enabled, disabled_reason, disabled_at, previous_secret_expires_at, failing_since, created_at`;

function toView(r: Record<string, unknown>): EndpointView {
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  return {
    id: r.id as string,
    url: r.url as string,
    description: (r.description as string | null) ?? null,
    event_types: (r.event_types as string[]) ?? [],
    enabled: r.enabled as boolean,
    disabled_reason: (r.disabled_reason as EndpointView["disabled_reason"]) ?? null,
    disabled_at: iso(r.disabled_at),
    previous_secret_expires_at: iso(r.previous_secret_expires_at),
    failing_since: iso(r.failing_since),
    created_at: iso(r.created_at)!,
  };
}

/** Throws forbidden unless the user is the team's owner or admin. */
export async function requireWebhookAdmin(db: Queryable, actor: WebhookActor): Promise<void> {
  const { rows } = await db.query<{ role: string }>("select role from public.team_members where team_id = $1 and user_id = $2", [
    actor.teamId,
    actor.userId,
  ]);
  const role = rows[0]?.role;
  if (role !== "owner" && role !== "admin") throw new AppError("forbidden", "Only the team's owners and admins manage webhooks.");
}

/**
 * The save-time URL rules: https only and a public address (every address a name resolves
 * to), unless the operator allows private addresses. Throws invalid_request on `url`.
 */
export async function checkEndpointUrl(url: string, policy: UrlPolicy): Promise<void> {
  const u = new URL(url);
  const refuse = (text: string) => {
    const message = policy.development ? text + DEVELOPMENT_HINT : text;
    return new AppError("invalid_request", message, [{ path: "url", message }]);
  };
  if (u.protocol !== "https:" && !(policy.allowPrivate && u.protocol === "http:")) throw refuse("The URL must start with https://.");
  if (policy.allowPrivate) return;
  const reason = await checkEndpointHost(u.hostname, policy.resolve ?? systemResolver);
  if (reason) throw refuse(`This URL cannot receive webhooks: ${reason}. Use a public address.`);
}

function notFound(): AppError {
  return new AppError("not_found", "That endpoint does not exist or is not yours to manage.");
}

export async function listEndpoints(db: Database, actor: WebhookActor): Promise<EndpointView[]> {
  return runAsUser(db, actor.userId, async (tx) => {
    await requireWebhookAdmin(tx, actor);
    const { rows } = await tx.query(`select ${COLUMNS} from public.webhook_endpoints where team_id = $1 order by created_at`, [actor.teamId]);
    return rows.map(toView);
  });
}

export async function getEndpoint(db: Database, actor: WebhookActor, id: string): Promise<EndpointView> {
  return runAsUser(db, actor.userId, async (tx) => {
    await requireWebhookAdmin(tx, actor);
    const { rows } = await tx.query(`select ${COLUMNS} from public.webhook_endpoints where id = $1 and team_id = $2`, [id, actor.teamId]);
    if (!rows[0]) throw notFound();
    return toView(rows[0]);
  });
}

/**
 * Returns the new endpoint and its clear secret; the database keeps only the sealed secret
 * (bound to the endpoint's id, chosen here for that), so the secret is never readable again.
 */
export async function createEndpoint(
  db: Database,
  actor: WebhookActor,
  input: CreateEndpointInput,
  policy: UrlPolicy,
): Promise<{ endpoint: EndpointView; secret: string }> {
  await requireWebhookAdmin(db, actor);
  await checkEndpointUrl(input.url, policy);
  const id = randomUUID();
  const secret = generateWebhookSecret();
  const { rows } = await db.query(
    `insert into public.webhook_endpoints (id, team_id, url, description, event_types, enabled, disabled_reason, disabled_at, secret, created_by)
     values ($8, $1, $2, $3, $4, $5, case when $5 then null else 'user' end, case when $5 then null else now() end, $6, $7)
     returning ${COLUMNS}`,
    [actor.teamId, input.url, input.description || null, input.event_types, input.enabled, sealWebhookSecret(secret, id), actor.userId, id],
  );
  return { endpoint: toView(rows[0]!), secret };
}

export async function updateEndpoint(db: Database, actor: WebhookActor, id: string, input: UpdateEndpointInput, policy: UrlPolicy): Promise<EndpointView> {
  if (input.url !== undefined) await checkEndpointUrl(input.url, policy);
  return runAsUser(db, actor.userId, async (tx) => {
    await requireWebhookAdmin(tx, actor);
    const { rows } = await tx.query(
      `update public.webhook_endpoints
          set url = coalesce($3, url),
              description = case when $4 then $5 else description end,
              event_types = coalesce($6, event_types),
              updated_at = now()
        where id = $1 and team_id = $2
        returning ${COLUMNS}`,
      [id, actor.teamId, input.url ?? null, input.description !== undefined, input.description || null, input.event_types ?? null],
    );
    if (!rows[0]) throw notFound();
    return toView(rows[0]);
  });
}

/** Enabling also clears the failure streak, so a re-enabled endpoint gets a fresh five days. */
export async function setEndpointEnabled(db: Database, actor: WebhookActor, id: string, enabled: boolean): Promise<EndpointView> {
  const view = await runAsUser(db, actor.userId, async (tx) => {
    await requireWebhookAdmin(tx, actor);
    const { rows } = await tx.query(
      enabled
        ? `update public.webhook_endpoints set enabled = true, disabled_reason = null, disabled_at = null, updated_at = now()
            where id = $1 and team_id = $2 returning ${COLUMNS}`
        : `update public.webhook_endpoints set enabled = false, disabled_reason = coalesce(disabled_reason, 'user'), disabled_at = coalesce(disabled_at, now()), updated_at = now()
            where id = $1 and team_id = $2 returning ${COLUMNS}`,
      [id, actor.teamId],
    );
    if (!rows[0]) throw notFound();
    return toView(rows[0]);
  });
  // failing_since is the server's bookkeeping, not granted to users: cleared on its connection.
  if (enabled) await db.query("update public.webhook_endpoints set failing_since = null where id = $1", [id]);
  return { ...view, failing_since: enabled ? null : view.failing_since };
}

export async function deleteEndpoint(db: Database, actor: WebhookActor, id: string): Promise<void> {
  await runAsUser(db, actor.userId, async (tx) => {
    await requireWebhookAdmin(tx, actor);
    const { rows } = await tx.query("delete from public.webhook_endpoints where id = $1 and team_id = $2 returning id", [id, actor.teamId]);
    if (!rows[0]) throw notFound();
  });
}

/**
 * A new secret; the previous one keeps signing alongside it for 24 h (both signatures in one
 * header). A second rotation within the overlap drops the oldest secret. Returns the new
 * secret, once. Both are stored sealed: the current sealed value moves to `previous_secret` as
 * is (same endpoint, same associated data); a legacy clear one is sealed on the way.
 */
export async function rotateEndpointSecret(db: Database, actor: WebhookActor, id: string): Promise<{ secret: string; endpoint: EndpointView }> {
  await requireWebhookAdmin(db, actor);
  const secret = generateWebhookSecret();
  const sealed = sealWebhookSecret(secret, id);
  const row = await db.transaction(async (tx) => {
    // Held until commit, so the start-up sealing pass and a concurrent rotation wait their turn.
    const current = await tx.query<{ secret: string }>("select secret from public.webhook_endpoints where id = $1 and team_id = $2 for update", [id, actor.teamId]);
    const stored = current.rows[0]?.secret;
    if (stored === undefined) return undefined;
    const previous = isLegacyClearSecret(stored) ? sealWebhookSecret(stored, id) : stored;
    const { rows } = await tx.query(
      `update public.webhook_endpoints
          set previous_secret = $3, previous_secret_expires_at = now() + $5::bigint * interval '1 millisecond',
              secret = $4, updated_at = now()
        where id = $1 and team_id = $2
        returning ${COLUMNS}`,
      [id, actor.teamId, previous, sealed, ROTATION_OVERLAP_MS],
    );
    return rows[0];
  });
  if (!row) throw notFound();
  return { secret, endpoint: toView(row) };
}

/** Queues a `webhook.test` message to this endpoint alone (even if it is not subscribed). */
export async function sendTestEvent(db: Database, actor: WebhookActor, id: string): Promise<{ event_id: string }> {
  const endpoint = await getEndpoint(db, actor, id);
  if (!endpoint.enabled) throw new AppError("conflict", "Enable this endpoint before sending it a test event.");
  const eventId = await emitWebhookEvent(db, actor.teamId, "webhook.test", TEST_EVENT_DATA, { endpointId: id });
  return { event_id: eventId };
}

/** The team's own quota thresholds (percent), beside the built-in 80 and 100. */
export async function listThresholds(db: Database, actor: WebhookActor): Promise<number[]> {
  return runAsUser(db, actor.userId, async (tx) => {
    await requireWebhookAdmin(tx, actor);
    const { rows } = await tx.query<{ percent: number }>("select percent from public.webhook_quota_thresholds where team_id = $1 order by percent", [actor.teamId]);
    return rows.map((r) => r.percent);
  });
}

export async function setThresholds(db: Database, actor: WebhookActor, percents: number[]): Promise<number[]> {
  const unique = [...new Set(percents)].filter((p) => p !== 80 && p !== 100).sort((a, b) => a - b);
  return runAsUser(db, actor.userId, async (tx) => {
    await requireWebhookAdmin(tx, actor);
    await tx.query("delete from public.webhook_quota_thresholds where team_id = $1", [actor.teamId]);
    if (unique.length > 0) {
      await tx.query("insert into public.webhook_quota_thresholds (team_id, percent) select $1, unnest($2::int[])", [actor.teamId, unique]);
    }
    return unique;
  });
}
