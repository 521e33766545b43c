// The one place queues are wired to their handlers, imported by scripts/worker.ts and by the
// in-process worker alike, so both run the same jobs. No Next imports, for the same reason.

let registered = false;

/** Idempotent: the app and the worker script may both call it. */
export function registerAllHandlers(): void {
  if (registered) return;
  registered = true;
  // Queues and their handlers go here as they are built, for example:
  //   registerHandler("audit.run", runAuditJob);        async audits (lib/audit)
  //   registerHandler("webhook.deliver", deliverWebhook); webhook deliveries (lib/webhooks)
}
