import { Webhook } from "standardwebhooks";
import { AppError } from "@/lib/errors";

/**
 * The three Standard Webhooks headers for one attempt. With several secrets (a rotation's
 * overlap) every signature goes in the one `webhook-signature` header, space-separated, so a
 * receiver holding either secret verifies. `at` is the attempt time (the timestamp is signed).
 */
export function signatureHeaders(eventId: string, at: Date, body: string, secrets: string[]): Record<string, string> {
  if (secrets.length === 0) throw new AppError("internal_error", "No secret to sign with.");
  const signatures = secrets.map((s) => new Webhook(s).sign(eventId, at, body));
  return {
    "webhook-id": eventId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}
