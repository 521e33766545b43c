// The one place queues are wired to their handlers, imported by scripts/worker.ts and by the
// in-process worker alike, so both run the same jobs. No Next imports, for the same reason.
import { AUDIT_QUEUE, runAuditJob } from "@/lib/presence-audit/run-audit";
import { registerHandler } from "./worker";

let registered = false;

/** Idempotent: the app and the worker script may both call it. */
export function registerAllHandlers(): void {
  if (registered) return;
  registered = true;
  registerHandler(AUDIT_QUEUE, runAuditJob); // async audits (lib/presence-audit)
  // Queues still to come:
  //   registerHandler("webhook.deliver", deliverWebhook); webhook deliveries (the outgoing-webhooks module, not written yet)
}
