/**
 * The OpenAPI 3.1 `webhooks` section: one POST per event type, the body we send being the
 * event's envelope `{type, timestamp, data}` converted from its zod schema by the same
 * `jsonSchemaOf`/`component` machinery as the endpoints, the three Standard Webhooks headers
 * as header parameters, and how we read the receiver's answer as responses. Text and examples
 * come from lib/webhooks/event-docs.ts, which the API page renders too.
 */
import { webhookEnvelopeSchema, type WebhookEventType } from "@/lib/webhooks/events.schema";
import { exampleMessage, WEBHOOK_EVENT_DOCS, WEBHOOK_HEADERS, WEBHOOK_RESPONSE_RULES, type WebhookEventDoc } from "@/lib/webhooks/event-docs";
import { component, jsonSchemaOf } from "./schemas";
import type { OpenApiExample, OpenApiParameter, OpenApiResponse } from "./openapi";

export interface OpenApiWebhookOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  parameters: OpenApiParameter[];
  requestBody: { required: true; description: string; content: { "application/json": { schema: Record<string, unknown>; examples: Record<string, OpenApiExample> } } };
  responses: Record<string, OpenApiResponse>;
}
export type OpenApiWebhooks = Record<string, { post: OpenApiWebhookOperation }>;

export const WEBHOOKS_TAG = {
  name: "Webhooks",
  description: "Messages this deployment POSTs to your endpoints, signed per Standard Webhooks. Add endpoints on the Webhooks page (owners and admins).",
};

/** "audit.completed" → "AuditCompletedEvent", the component name of its envelope. */
export function webhookComponentName(type: WebhookEventType): string {
  return `${type.split(/[._]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("")}Event`;
}

/** Each envelope registered once, at load, so components.schemas lists it like any other. */
const ENVELOPES = new Map(WEBHOOK_EVENT_DOCS.map((d) => [d.type, component(webhookComponentName(d.type), webhookEnvelopeSchema(d.type), { description: d.summary })]));

const retryAfterHeader = {
  "Retry-After": { description: "Seconds (or an HTTP date) to wait before the next attempt.", required: false, schema: { type: "string" } },
};

function responses(): Record<string, OpenApiResponse> {
  return {
    "2XX": { description: WEBHOOK_RESPONSE_RULES.success },
    "410": { description: WEBHOOK_RESPONSE_RULES.gone },
    "429": { description: WEBHOOK_RESPONSE_RULES.retryAfter, headers: retryAfterHeader },
    "503": { description: WEBHOOK_RESPONSE_RULES.retryAfter, headers: retryAfterHeader },
    default: { description: `${WEBHOOK_RESPONSE_RULES.retry} ${WEBHOOK_RESPONSE_RULES.disable}` },
  };
}

function operationOf(d: WebhookEventDoc): OpenApiWebhookOperation {
  const schema = ENVELOPES.get(d.type);
  if (!schema) throw new Error(`No envelope for ${d.type}`);
  return {
    operationId: `webhook${webhookComponentName(d.type)}`,
    summary: d.summary,
    description: d.description,
    tags: [WEBHOOKS_TAG.name],
    parameters: WEBHOOK_HEADERS.map((h) => ({ name: h.name, in: "header" as const, required: true, description: h.description, schema: { type: "string", pattern: h.pattern }, example: h.example })),
    requestBody: {
      required: true,
      description: "Verify the signature on the raw body before parsing it.",
      content: { "application/json": { schema: jsonSchemaOf(schema, "output"), examples: { [d.type]: { summary: d.summary, value: exampleMessage(d) } } } },
    },
    responses: responses(),
  };
}

/** The document's `webhooks`: every event type, keyed by its name. */
export function webhooksSection(): OpenApiWebhooks {
  return Object.fromEntries(WEBHOOK_EVENT_DOCS.map((d) => [d.type, { post: operationOf(d) }]));
}
