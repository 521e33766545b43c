// The delivery log for the dashboard (read as the user, through row-level security), and the
// two ways to send again: resend one delivery, replay every failed one since a time.
import type { Database } from "@/lib/db/types";
import { runAsUser } from "@/lib/db/run-as-user";
import { AppError } from "@/lib/errors";
import { notify } from "@/lib/jobs/worker";
import { deliverJobKey } from "./deliver";
import { DELIVER_QUEUE } from "./emit";
import type { DeliveryFilter } from "./endpoint-input.schema";
import { requireWebhookAdmin, type WebhookActor } from "./endpoints";

export interface DeliveryView {
  id: number;
  endpoint_id: string;
  endpoint_url: string;
  event_id: string;
  event_type: string;
  status: "pending" | "retrying" | "delivered" | "failed";
  attempts: number;
  next_attempt_at: string | null;
  last_status: number | null;
  last_latency_ms: number | null;
  last_response_body: string | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/** Newest first; filters by endpoint, status and event type; at most `limit` rows. */
export async function listDeliveries(db: Database, actor: WebhookActor, f: DeliveryFilter): Promise<DeliveryView[]> {
  return runAsUser(db, actor.userId, async (tx) => {
    await requireWebhookAdmin(tx, actor);
    const { rows } = await tx.query<Record<string, unknown>>(
      `select d.id, d.endpoint_id, e.url as endpoint_url, m.event_id, m.type as event_type, d.status, d.attempts, d.next_attempt_at,
              d.last_status, d.last_latency_ms, d.last_response_body, d.last_error, d.created_at, d.delivered_at
         from public.webhook_deliveries d
         join public.webhook_messages m on m.id = d.message_id
         join public.webhook_endpoints e on e.id = d.endpoint_id
        where d.team_id = $1 and ($2::uuid is null or d.endpoint_id = $2) and ($3::text is null or d.status = $3)
          and ($4::text is null or m.type = $4)
        order by d.created_at desc, d.id desc
        limit $5`,
      [actor.teamId, f.endpoint_id ?? null, f.status ?? null, f.event_type ?? null, f.limit],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      endpoint_id: r.endpoint_id as string,
      endpoint_url: r.endpoint_url as string,
      event_id: r.event_id as string,
      event_type: r.event_type as string,
      status: r.status as DeliveryView["status"],
      attempts: r.attempts as number,
      next_attempt_at: iso(r.next_attempt_at),
      last_status: (r.last_status as number | null) ?? null,
      last_latency_ms: (r.last_latency_ms as number | null) ?? null,
      last_response_body: (r.last_response_body as string | null) ?? null,
      last_error: (r.last_error as string | null) ?? null,
      created_at: iso(r.created_at)!,
      delivered_at: iso(r.delivered_at),
    }));
  });
}

/**
 * Sends deliveries again, whatever their state, with the same `webhook-id`: each gets a new
 * generation (older jobs then find nothing to do), a fresh attempt count and a job due now.
 * Only deliveries to enabled endpoints. Returns how many were queued.
 */
async function requeue(db: Database, teamId: string, where: string, params: unknown[]): Promise<number> {
  const n = await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; generation: number }>(
      `update public.webhook_deliveries d
          set generation = generation + 1, status = 'pending', attempts = 0, next_attempt_at = now(), updated_at = now()
         from public.webhook_endpoints e
        where e.id = d.endpoint_id and e.enabled and d.team_id = $1 and ${where}
        returning d.id, d.generation`,
      [teamId, ...params],
    );
    for (const r of rows) {
      await tx.query(
        `insert into public.jobs (queue, payload, dedupe_key) values ($1, $2::jsonb, $3) on conflict (dedupe_key) do nothing`,
        [DELIVER_QUEUE, JSON.stringify({ delivery_id: Number(r.id), generation: r.generation }), deliverJobKey(r.id, r.generation, 0)],
      );
    }
    return rows.length;
  });
  if (n > 0) notify();
  return n;
}

export async function resendDelivery(db: Database, actor: WebhookActor, deliveryId: number): Promise<void> {
  await requireWebhookAdmin(db, actor);
  const n = await requeue(db, actor.teamId, "d.id = $2", [deliveryId]);
  if (n === 0) throw new AppError("not_found", "That delivery does not exist, or its endpoint is disabled.");
}

/** After an outage on the receiver's side: every failed delivery created since `since`. */
export async function replayFailedSince(db: Database, actor: WebhookActor, since: Date, endpointId?: string): Promise<number> {
  await requireWebhookAdmin(db, actor);
  return requeue(db, actor.teamId, "d.status = 'failed' and d.created_at >= $2 and ($3::uuid is null or d.endpoint_id = $3)", [since, endpointId ?? null]);
}
