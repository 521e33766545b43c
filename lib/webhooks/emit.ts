// No "server-only": the worker (audits, the expiry sweep) emits events outside Next.
import type { Queryable } from "@/lib/db/types";
import { notify } from "@/lib/jobs/worker";
import { webhookEventSchemas, type WebhookEventData, type WebhookEventType } from "./events.schema";

export const DELIVER_QUEUE = "webhook.deliver";

/**
 * Records event `type` for the team and queues its delivery to every enabled endpoint
 * subscribed to it, inside the caller's transaction when `db` is one (the event then exists
 * only if the cause commits). `data` is checked against the type's schema (throws ZodError).
 * Works on the server's connection and inside a team member's `runAsUser` transaction.
 * Returns the message's `webhook-id` (`msg_…`). `opts.endpointId` sends to that one endpoint.
 */
export async function emitWebhookEvent<T extends WebhookEventType>(
  db: Queryable,
  teamId: string,
  type: T,
  data: WebhookEventData<T>,
  opts: { endpointId?: string } = {},
): Promise<string> {
  const parsed = webhookEventSchemas[type].parse(data);
  const { rows } = await db.query<{ id: string }>("select public.emit_webhook_event($1, $2, $3::jsonb, $4) as id", [
    teamId,
    type,
    JSON.stringify(parsed),
    opts.endpointId ?? null,
  ]);
  // Wakes this process's worker; before the caller's commit it simply finds nothing yet and
  // the next poll (500 ms) picks the job up.
  queueMicrotask(notify);
  return rows[0]!.id;
}
