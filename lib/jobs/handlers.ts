// The one place queues are wired to their handlers, imported by scripts/worker.ts and by the
// in-process worker alike, so both run the same jobs. No Next imports, for the same reason.
import { AUDIT_QUEUE, runAuditJob } from "@/lib/presence-audit/run-audit";
import { deliverWebhookJob } from "@/lib/webhooks/deliver";
import { DELIVER_QUEUE } from "@/lib/webhooks/emit";
import { registerHandler } from "./worker";

let registered = false;

/** Idempotent: the app and the worker script may both call it. */
export function registerAllHandlers(): void {
  if (registered) return;
  registered = true;
  registerHandler(AUDIT_QUEUE, runAuditJob); // async audits (lib/presence-audit)
  registerHandler(DELIVER_QUEUE, deliverWebhookJob); // webhook deliveries (lib/webhooks)
}
