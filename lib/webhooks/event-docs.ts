// What receivers read about our webhooks, written once: the OpenAPI `webhooks` section
// (lib/public-api/openapi-webhooks.ts) and the API page both render it. Pure data, no
// server-only, so the page and the document cannot drift apart. Example payloads are checked
// against the event schemas by event-docs.test.ts.
import { TEST_EVENT_DATA, type WebhookEventData, type WebhookEventType } from "./events.schema";
import { DELIVERY_TIMEOUT_MS, FAILING_DISABLE_MS, MAX_RETRY_AFTER_MS, RESPONSE_BODY_BYTES, RETRY_SCHEDULE_MS } from "./schedule";

export interface WebhookEventDoc<T extends WebhookEventType = WebhookEventType> {
  type: T;
  summary: string;
  description: string;
  /** `data` of the example message (the envelope is added by `exampleMessage`). */
  example: WebhookEventData<T>;
}

const EXAMPLE_TIMESTAMP = "2026-11-30T18:04:05.000Z";
export const EXAMPLE_WEBHOOK_ID = "msg_2f1c9d7e4b8a4c0e9a6b3d5f7e1a2c4b";
const KEY = { key_id: "3f8e2a1c-6b4d-4e9f-8a7b-1c2d3e4f5a6b", key_name: "Production", key_prefix: "sk_live_Ab3x" };

type Docs = { [T in WebhookEventType]: WebhookEventDoc<T> };

const DOCS: Docs = {
  "audit.completed": {
    type: "audit.completed",
    summary: "An async audit finished",
    description: "Sent when an audit started with `POST /api/public/audit` has its result. Fetch `result_url` (with your key) for the full result.",
    example: { audit_id: "0b7c6a52-9d1e-4f3a-8c2b-5e6f7a8b9c0d", business_id: "taqueria-centro", score: 72, result_url: "/api/public/audit/0b7c6a52-9d1e-4f3a-8c2b-5e6f7a8b9c0d" },
  },
  "quota.threshold": {
    type: "quota.threshold",
    summary: "The team reached a share of its monthly quota",
    description: "Sent once per UTC month for each threshold reached: 80 % and 100 % of the monthly quota, and any percentage an owner adds on the Webhooks page.",
    example: { percent: 80, used: 80, limit: 100, month: "2026-11" },
  },
  "key.expiring": {
    type: "key.expiring",
    summary: "A key expires within 7 days",
    description: "Sent once per key and expiry date, about 7 days before the key stops working.",
    example: { ...KEY, expires_at: "2026-12-07T00:00:00.000Z" },
  },
  "key.rotated": {
    type: "key.rotated",
    summary: "A key was rotated",
    description: "A replacement key exists; the old one keeps working until `grace_until`.",
    example: { ...KEY, new_key_id: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", grace_until: "2026-12-01T18:04:05.000Z" },
  },
  "key.revoked": {
    type: "key.revoked",
    summary: "A key was revoked",
    description: "The key no longer works, for good.",
    example: KEY,
  },
  "key.disabled": {
    type: "key.disabled",
    summary: "A key was disabled",
    description: "The key answers `key_disabled` until someone enables it again; `reason` says who may.",
    example: { ...KEY, reason: "admin" },
  },
  "subscription.updated": {
    type: "subscription.updated",
    summary: "The team's plan or subscription changed",
    description: "Sent when the subscription's plan or status changes.",
    example: { plan: "pro", status: "active" },
  },
  "webhook.test": {
    type: "webhook.test",
    summary: "A test message",
    description: "Sent only by the Send test event button on the Webhooks page, to that one endpoint. Nobody subscribes to it.",
    example: TEST_EVENT_DATA,
  },
};

/** Every event, in the order the document and the page list them. */
export const WEBHOOK_EVENT_DOCS: readonly WebhookEventDoc[] = Object.values(DOCS);

/** The example body of one event type, as sent: `{type, timestamp, data}`. */
export function exampleMessage(doc: WebhookEventDoc): { type: WebhookEventType; timestamp: string; data: unknown } {
  return { type: doc.type, timestamp: EXAMPLE_TIMESTAMP, data: doc.example };
}

export interface WebhookHeaderDoc {
  name: string;
  description: string;
  pattern: string;
  example: string;
}

/** The Standard Webhooks headers on every message. */
export const WEBHOOK_HEADERS: readonly WebhookHeaderDoc[] = [
  {
    name: "webhook-id",
    description: "The message's id. The same on every retry, resend and replay of a message: deduplicate on it.",
    pattern: "^msg_[A-Za-z0-9]{10,64}$",
    example: EXAMPLE_WEBHOOK_ID,
  },
  {
    name: "webhook-timestamp",
    description: "When this attempt was signed, in Unix seconds. Reject messages far from your clock (the libraries allow 5 minutes).",
    pattern: "^[0-9]+$",
    example: "1796061845",
  },
  {
    name: "webhook-signature",
    description:
      "`v1,<base64 HMAC-SHA256>` of `<webhook-id>.<webhook-timestamp>.<body>` with the endpoint's secret. Space-separated when there are several: for 24 h after a secret rotation it carries one signature per secret, and either verifies.",
    pattern: "^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$",
    example: "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
  },
];

/** "5 s", "5 min", "2 h". */
export function formatDelay(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

const SCHEDULE = RETRY_SCHEDULE_MS.map(formatDelay).join(", ");

/** How we read your answer, one line per case, for the document's responses and the page. */
export const WEBHOOK_RESPONSE_RULES = {
  success: `Any 2xx: delivered. The message is never sent to this endpoint again (unless someone presses Resend). The first ${RESPONSE_BODY_BYTES} bytes of your answer are kept in the delivery log.`,
  gone: "410 Gone: the message fails and the endpoint is disabled; nothing more is sent to it until someone enables it.",
  retryAfter: `429 or 503 with Retry-After: retried after the longer of Retry-After (at most ${formatDelay(MAX_RETRY_AFTER_MS)}) and the schedule's next wait.`,
  retry: `Anything else — another status, a redirect (never followed), a refused connection, or no answer within ${DELIVERY_TIMEOUT_MS / 1000} s — is retried: ${RETRY_SCHEDULE_MS.length + 1} attempts in all, the first at once, then after ${SCHEDULE}. After the last, the message is failed; Replay on the Webhooks page sends failed messages again.`,
  disable: `An endpoint whose every attempt has failed for ${FAILING_DISABLE_MS / 86_400_000} days is disabled, and the Webhooks page says so.`,
} as const;

/** Where private addresses are refused, and how a developer lifts that. */
export const WEBHOOK_ADDRESS_RULE =
  "Endpoint URLs must be https and reach a public address; loopback, private, link-local and metadata addresses are refused when the endpoint is saved and again on the address each delivery connects to. For local development, start the server with WEBHOOKS_ALLOW_PRIVATE=true to allow private addresses and plain http.";
