// The `webhook.deliver` job: one attempt of one delivery. No "server-only": run by the worker.
import { z } from "zod";
import type { Database } from "@/lib/db/types";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { enqueue } from "@/lib/jobs/queue";
import type { JobContext } from "@/lib/jobs/worker";
import { DELIVER_QUEUE } from "./emit";
import { FAILING_DISABLE_MS, retryDelayMs, scheduleFrom } from "./schedule";
import { sendWebhook, type SendRequest, type SendResult } from "./send";
import { openWebhookSecret } from "./secret";
import { signatureHeaders } from "./sign";

export interface DeliverOptions {
  /** The clock; tests move it to walk the retry schedule. */
  now?: () => Date;
  send?: (req: SendRequest) => Promise<SendResult>;
  allowPrivate?: boolean;
  schedule?: readonly number[];
  lookup?: SendRequest["lookup"];
  signal?: AbortSignal;
}

export type AttemptOutcome = "delivered" | "retrying" | "failed" | "skipped";

interface Loaded {
  attempts: number;
  team_id: string;
  endpoint_id: string;
  event_id: string;
  payload: { type: string; timestamp: string; data: unknown };
  url: string;
  enabled: boolean;
  /** Sealed (or a legacy clear value); opened only to sign, never kept or logged. */
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  failing_since: Date | null;
}

/** The job key of a delivery's attempt: one job per attempt and generation, never two. */
export function deliverJobKey(deliveryId: number | string, generation: number, attempt: number): string {
  return `${DELIVER_QUEUE}:${deliveryId}:${generation}:${attempt}`;
}

/**
 * Makes the next attempt of a delivery that is still pending or retrying in `generation`;
 * anything else (delivered, failed, resent since) is skipped, so a redelivered job never sends
 * a message again after a 2xx was recorded. Records the attempt, then: 2xx → delivered; 410 →
 * failed and the endpoint disabled; other failures → retry per the schedule (a new job), or
 * failed after the last attempt; five days of failures without a success disable the endpoint.
 * Throws on database errors (the job is then retried and the attempt may be repeated, with the
 * same `webhook-id`) and with SealError when the endpoint's secret does not open (the at-rest
 * key is not the one that sealed it): nothing is sent unsigned or with a wrong signature, and
 * the job is retried like any failed job.
 */
export async function attemptDelivery(db: Database, deliveryId: number, generation: number, opts: DeliverOptions = {}): Promise<AttemptOutcome> {
  const now = (opts.now ?? (() => new Date()))();
  const { rows } = await db.query<Loaded>(
    `select d.attempts, d.team_id, d.endpoint_id, m.event_id, m.payload, e.url, e.enabled, e.secret,
            e.previous_secret, e.previous_secret_expires_at, e.failing_since
       from public.webhook_deliveries d
       join public.webhook_messages m on m.id = d.message_id
       join public.webhook_endpoints e on e.id = d.endpoint_id
      where d.id = $1 and d.generation = $2 and d.status in ('pending', 'retrying')`,
    [deliveryId, generation],
  );
  const d = rows[0];
  if (!d) return "skipped";
  if (!d.enabled) {
    await db.query(
      `update public.webhook_deliveries set status = 'failed', next_attempt_at = null, last_error = 'The endpoint is disabled.', updated_at = $3
        where id = $1 and generation = $2 and status in ('pending', 'retrying')`,
      [deliveryId, generation, now],
    );
    return "skipped";
  }

  // The stored body is rebuilt in its documented key order; jsonb does not keep order.
  const body = JSON.stringify({ type: d.payload.type, timestamp: d.payload.timestamp, data: d.payload.data });
  const secrets = [openWebhookSecret(d.secret, d.endpoint_id)];
  if (d.previous_secret && d.previous_secret_expires_at && new Date(d.previous_secret_expires_at) > now) {
    secrets.push(openWebhookSecret(d.previous_secret, d.endpoint_id));
  }
  const result = await (opts.send ?? sendWebhook)({
    url: d.url,
    headers: signatureHeaders(d.event_id, now, body, secrets),
    body,
    allowPrivate: opts.allowPrivate ?? env().WEBHOOKS_ALLOW_PRIVATE,
    lookup: opts.lookup,
    signal: opts.signal,
  });
  return recordAttempt(db, deliveryId, generation, d, result, now, opts.schedule ?? scheduleFrom(env().WEBHOOKS_RETRY_SCHEDULE_MS));
}

async function recordAttempt(
  db: Database,
  deliveryId: number,
  generation: number,
  d: Loaded,
  r: SendResult,
  now: Date,
  schedule: readonly number[],
): Promise<AttemptOutcome> {
  const attempt = d.attempts + 1;
  const ok = r.status !== null && r.status >= 200 && r.status < 300;
  const delay = ok || r.status === 410 ? null : retryDelayMs(attempt, schedule, r);
  const outcome: AttemptOutcome = ok ? "delivered" : delay === null ? "failed" : "retrying";
  const nextAt = delay === null ? null : new Date(now.getTime() + delay);
  const error = ok ? null : (r.error ?? `The endpoint answered ${r.status}${r.status === 410 ? " (gone): the endpoint is disabled" : ""}.`);
  return db.transaction(async (tx) => {
    const updated = await tx.query(
      `update public.webhook_deliveries
          set status = $3, attempts = $4, next_attempt_at = $5, last_status = $6, last_latency_ms = $7,
              last_response_body = $8, last_error = $9, delivered_at = case when $3 = 'delivered' then $10::timestamptz end, updated_at = $10
        where id = $1 and generation = $2 and status in ('pending', 'retrying')
        returning id`,
      [deliveryId, generation, outcome, attempt, nextAt, r.status, r.latencyMs, r.body, error, now],
    );
    // Resent meanwhile: the newer generation owns the delivery; this attempt is still logged.
    await tx.query(
      `insert into public.webhook_attempts (delivery_id, team_id, attempted_at, status_code, latency_ms, response_body, error)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [deliveryId, d.team_id, now, r.status, r.latencyMs, r.body, error],
    );
    if (updated.rows.length === 0) return "skipped";
    if (ok) {
      await tx.query("update public.webhook_endpoints set failing_since = null where id = $1 and failing_since is not null", [d.endpoint_id]);
      return outcome;
    }
    if (r.status === 410) {
      await disableEndpoint(tx, d.endpoint_id, "gone", now);
    } else {
      const since = d.failing_since ? new Date(d.failing_since) : now;
      if (now.getTime() - since.getTime() >= FAILING_DISABLE_MS) await disableEndpoint(tx, d.endpoint_id, "failing", now);
      else await tx.query("update public.webhook_endpoints set failing_since = coalesce(failing_since, $2) where id = $1", [d.endpoint_id, now]);
    }
    if (nextAt) await enqueue(tx, DELIVER_QUEUE, { delivery_id: deliveryId, generation }, { runAt: nextAt, dedupeKey: deliverJobKey(deliveryId, generation, attempt) });
    return outcome;
  });
}

async function disableEndpoint(tx: Pick<Database, "query">, endpointId: string, reason: "gone" | "failing", now: Date) {
  await tx.query(
    `update public.webhook_endpoints set enabled = false, disabled_reason = $2, disabled_at = $3, updated_at = $3
      where id = $1 and enabled`,
    [endpointId, reason, now],
  );
}

const jobPayload = z.object({ delivery_id: z.number().int().positive(), generation: z.number().int().positive() });

/** The `webhook.deliver` handler: payload `{delivery_id, generation}`. */
export async function deliverWebhookJob(payload: unknown, ctx: JobContext): Promise<void> {
  const p = jobPayload.safeParse(payload);
  if (!p.success) throw new AppError("internal_error", "The webhook.deliver payload is not valid.");
  await attemptDelivery(ctx.db, p.data.delivery_id, p.data.generation, { signal: ctx.signal });
}
