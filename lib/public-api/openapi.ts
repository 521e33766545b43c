/**
 * The OpenAPI 3.1 document of the public API, generated from the endpoint declarations
 * (lib/public-api/endpoints/): paths, parameters, bodies and responses from their zod schemas
 * (zod 4's JSON Schema output), error responses from what each endpoint's kind implies plus the
 * errors it declares, in the words of the public API contract.
 */
import { PUBLIC_ERRORS, type PublicErrorCode } from "@/lib/errors";
import type { KeyScope } from "@/lib/keys/key-input.schema";
import { PUBLIC_METHODS, type PublicEndpoint } from "./endpoint";
import { IDEMPOTENCY_HEADER, IDEMPOTENCY_TTL_HOURS } from "./idempotency-header";
import { EXAMPLE_REQUEST_ID } from "./examples";
import { webhooksSection, WEBHOOKS_TAG, type OpenApiWebhooks } from "./openapi-webhooks";
import { componentSchemas, jsonSchemaOf } from "./schemas";
import { KEY_REFUSALS } from "./verify";

/* Types: just enough structure for the docs page to walk the document. -------------------- */

export type JsonSchema = Record<string, unknown>;
export interface OpenApiExample {
  summary?: string;
  description?: string;
  value: unknown;
}
export interface OpenApiMediaType {
  schema: JsonSchema;
  examples?: Record<string, OpenApiExample>;
}
export interface OpenApiHeader {
  description: string;
  required?: boolean;
  schema: JsonSchema;
}
export type HeaderRef = { $ref: string };
export interface OpenApiResponse {
  description: string;
  headers?: Record<string, HeaderRef | OpenApiHeader>;
  content?: Record<string, OpenApiMediaType>;
}
export interface OpenApiParameter {
  name: string;
  in: "query" | "path" | "header";
  required?: boolean;
  description: string;
  schema: JsonSchema;
  example?: unknown;
}
export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security: Array<Record<string, string[]>>;
  parameters?: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, OpenApiMediaType> };
  responses: Record<string, OpenApiResponse>;
  /** The key scope the operation needs; null when it needs no key, or any valid key (security lists the schemes then). */
  "x-scope": KeyScope | null;
  /** Whether an admitted call counts toward the team's monthly quota. */
  "x-metered": boolean;
}
export type HttpMethod = "get" | "post" | "patch";
/** The methods the document may hold, in the order it lists them. */
export const HTTP_METHODS = ["get", "post", "patch"] as const satisfies readonly HttpMethod[];
export type OpenApiPathItem = Partial<Record<HttpMethod, OpenApiOperation>> & { summary?: string; description?: string };
export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string; description?: string }>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, OpenApiPathItem>;
  /** What this deployment POSTs to the team's webhook endpoints (lib/webhooks). */
  webhooks: OpenApiWebhooks;
  components: {
    securitySchemes: Record<string, Record<string, string>>;
    headers: Record<string, OpenApiHeader>;
    schemas: Record<string, JsonSchema>;
  };
}

/* Errors and headers as the contract lists them. ------------------------------------------ */

/** The contract's "when" column, per error code. */
export const ERROR_WHEN: Readonly<Record<PublicErrorCode, string>> = {
  invalid_request: "The body or query fails validation; error.details lists the fields.",
  missing_api_key: "No key given.",
  invalid_api_key: "Bad format, bad checksum, unknown or revoked key.",
  key_expired: "The key is past its expiry (or past its rotation grace period).",
  key_disabled: "The key was disabled by its owner, or because its owner left the team.",
  ip_not_allowed: "The caller's IP is outside the key's allowlist.",
  insufficient_scope: "The key lacks the endpoint's scope.",
  forbidden: "The key's creator may not do this (key management: a scope the key lacks, keys:manage from a member, another person's key).",
  usage_exhausted: "The key's total-use cap is spent. A cap never resets, so there is no Retry-After: the key's owner can raise the cap in the dashboard.",
  not_found: "Unknown business, audit or key (for this team).",
  method_not_allowed: "Another HTTP method on this path; the Allow header lists the accepted ones.",
  conflict: "The key's state does not allow this (revoked, already rotated, disabled because its creator left).",
  limit_reached: "The team has as many keys as its plan allows.",
  payload_too_large: "The body is over 64 KiB.",
  unsupported_media_type: "A POST without Content-Type: application/json.",
  rate_limited: "The key's per-minute limit is spent; Retry-After says how many seconds to wait.",
  quota_exceeded: "The team's monthly quota is spent and no overage is allowed; Retry-After lasts until the month turns.",
  internal_error: "Never expected; the message holds no internals.",
};

/** Messages as the API words them, for the error examples. */
const ERROR_MESSAGES: Readonly<Record<PublicErrorCode, string>> = {
  invalid_request: "The body is not valid.",
  missing_api_key: "Send your API key in the X-API-Key header.",
  invalid_api_key: "This API key is not valid. Check it, or create a new one in the dashboard.",
  key_expired: "This API key has expired (or its rotation grace period has ended). Use its replacement or create a new key.",
  key_disabled: "This API key is disabled. Its owner can enable it in the dashboard.",
  ip_not_allowed: "Requests from 203.0.113.7 are not allowed for this API key.",
  insufficient_scope: 'This API key does not have the "validate" scope.',
  forbidden: "Only the person who created this key can edit it.",
  usage_exhausted: "This API key has used all the calls its use cap allows. Its owner can raise the cap in the dashboard.",
  not_found: "No audit with this id exists for your team.",
  method_not_allowed: "Use GET for this endpoint.",
  conflict: "This key is revoked; revoked keys cannot be changed.",
  limit_reached: "Your team has 3 of 3 keys allowed on the Free plan. Revoke a key you no longer use, or upgrade the plan on the Billing page.",
  payload_too_large: "The body is larger than 64 KiB.",
  unsupported_media_type: "Send the body as application/json.",
  rate_limited: "Too many requests for this key. Retry in 12 s.",
  quota_exceeded: "Your team has used its 100 calls for this month. The quota resets on 2026-12-01.",
  internal_error: "Something went wrong on our side.",
};

export interface HeaderDoc {
  name: string;
  /** Component name under components.headers. */
  id: string;
  when: string;
  description: string;
}

/** Response headers, in the order the contract lists them. */
export const RESPONSE_HEADERS: readonly HeaderDoc[] = [
  { name: "X-Request-Id", id: "XRequestId", when: "Every response", description: "Identifies this request; quote it when you contact support." },
  { name: "X-RateLimit-Limit", id: "XRateLimitLimit", when: "Every response to a recognised key", description: "Requests per minute this key may make." },
  { name: "X-RateLimit-Remaining", id: "XRateLimitRemaining", when: "Every response to a recognised key", description: "Requests left in the current minute window." },
  { name: "X-RateLimit-Reset", id: "XRateLimitReset", when: "Every response to a recognised key", description: "Seconds until the rate-limit window resets." },
  { name: "X-Quota-Limit", id: "XQuotaLimit", when: "Every response to a recognised key", description: "Metered calls the team's plan includes this month." },
  { name: "X-Quota-Remaining", id: "XQuotaRemaining", when: "Every response to a recognised key", description: "Metered calls left in the team's monthly quota (0 once it is used up, including during overage)." },
  { name: "Retry-After", id: "RetryAfter", when: "429 responses", description: "Seconds to wait before retrying." },
  { name: "Allow", id: "Allow", when: "405 responses", description: "The methods this path accepts, e.g. \"GET, POST\"." },
];

const METERING_HEADERS = ["XRateLimitLimit", "XRateLimitRemaining", "XRateLimitReset", "XQuotaLimit", "XQuotaRemaining"] as const;

/* Building blocks. ------------------------------------------------------------------------- */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const headerRef = (id: string): HeaderRef => ({ $ref: `#/components/headers/${id}` });
/** Either scheme carries the same key. A function so that no two operations share one array. */
const keyedSecurity = (): Array<Record<string, string[]>> => [{ ApiKeyHeader: [] }, { BearerAuth: [] }];

interface ErrorOptions {
  /** The methods the path accepts, for the 405 example. */
  allow: readonly string[];
  /** The operation's scope, for the insufficient_scope example. */
  scope?: KeyScope | null;
  /** Endpoint-specific wording of when a code happens. */
  when?: Partial<Record<PublicErrorCode, string>>;
  /** Endpoint-specific example messages. */
  messages?: Partial<Record<PublicErrorCode, string>>;
  /** error.details of the invalid_request example. */
  details?: Array<{ path: string; message: string }>;
}

function errorExample(code: PublicErrorCode, opts: ErrorOptions): OpenApiExample {
  let message = opts.messages?.[code] ?? ERROR_MESSAGES[code];
  if (code === "insufficient_scope" && opts.scope) message = `This API key does not have the "${opts.scope}" scope.`;
  if (code === "method_not_allowed") message = `Use ${opts.allow.join(" or ")} for this endpoint.`;
  const details = code === "invalid_request" ? opts.details : undefined;
  return {
    summary: opts.when?.[code] ?? ERROR_WHEN[code],
    value: { error: { code, message, request_id: EXAMPLE_REQUEST_ID, ...(details ? { details } : {}) } },
  };
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  429: "Too many requests",
  500: "Internal error",
};

/**
 * Error responses grouped by status, one named example per code; an example's summary says
 * when that code happens. 405 is listed on each operation because any other method on the
 * operation's path answers it (OpenAPI has no place for path-level responses).
 */
function errorResponses(codes: readonly PublicErrorCode[], opts: ErrorOptions): Record<string, OpenApiResponse> {
  const out: Record<string, OpenApiResponse> = {};
  for (const code of codes) {
    const status = PUBLIC_ERRORS[code];
    const example = errorExample(code, opts);
    const existing = out[status];
    const examples = existing?.content?.["application/json"]?.examples;
    if (existing && examples) {
      existing.description += `, \`${code}\``;
      examples[code] = example;
      continue;
    }
    const headers: Record<string, HeaderRef> = { "X-Request-Id": headerRef("XRequestId") };
    // 405 is answered before any key is looked at; everything else may concern a recognised key.
    if (status !== 405) for (const id of METERING_HEADERS) headers[headerName(id)] = headerRef(id);
    if (status === 429) headers["Retry-After"] = headerRef("RetryAfter");
    if (status === 405) headers.Allow = headerRef("Allow");
    out[status] = {
      description: `${STATUS_TEXT[status] ?? "Error"}: \`${code}\``,
      headers,
      content: { "application/json": { schema: ref("Error"), examples: { [code]: example } } },
    };
  }
  return out;
}

function headerName(id: string): string {
  const found = RESPONSE_HEADERS.find((h) => h.id === id);
  if (!found) throw new Error(`Unknown header ${id}`);
  return found.name;
}


/** A spent use cap answers 403 usage_exhausted since issue 13; quota_exceeded is the team's monthly quota only. */
const METERED_QUOTA_WHEN =
  "The team's monthly quota is spent and the plan allows no overage (or the overage hard cap is reached); Retry-After in seconds, until the month turns.";
const UNMETERED_QUOTA_WHEN = "Not answered by this endpoint in practice: it is not metered, so the team's monthly quota never stops it.";

function headers(): Record<string, OpenApiHeader> {
  const out: Record<string, OpenApiHeader> = {};
  for (const h of RESPONSE_HEADERS) {
    const schema = h.id === "XRequestId" || h.id === "Allow" ? { type: "string" } : { type: "integer", minimum: 0 };
    // Only X-Request-Id is on every response; the others are required where referenced by status.
    out[h.id] = { description: `${h.description} (${h.when}.)`, required: h.id === "XRequestId" || h.id === "RetryAfter" || h.id === "Allow", schema };
  }
  return out;
}

/* The document. ---------------------------------------------------------------------------- */

export const TAGS = [
  { name: "Keys", description: "Check a key and the quota left." },
  { name: "RFC", description: "Mexican tax id (RFC) validation." },
  { name: "Audit", description: "Online-presence audit of a local business." },
  { name: "Billing", description: "The team's subscription, and signed license tokens your apps check offline." },
  {
    name: "Key management",
    description:
      "Create, list, edit, disable, rotate and revoke the team's keys with a key that has the keys:manage scope, acting as the person who created it. Not metered.",
  },
  { name: "Meta", description: "This document." },
  WEBHOOKS_TAG,
];

/** The error codes an endpoint can answer, in the order the document lists them. */
export function errorCodesOf(e: PublicEndpoint): PublicErrorCode[] {
  const keyed = e.auth.kind === "key";
  const codes: PublicErrorCode[] = [];
  if (e.query || e.body) codes.push("invalid_request");
  // A key that may call with any scope is never refused for its scope.
  if (keyed) codes.push(...KEY_REFUSALS.filter((c) => c !== "insufficient_scope" || e.auth.kind !== "key" || e.auth.scope !== null));
  codes.push(...(e.errors ?? []), "method_not_allowed");
  if (e.body) codes.push("payload_too_large", "unsupported_media_type");
  if (keyed || e.body || e.query) codes.push("internal_error");
  return codes;
}

function parametersOf(e: PublicEndpoint): OpenApiParameter[] {
  const out: OpenApiParameter[] = [];
  for (const [where, schema] of [["path", e.params], ["query", e.query]] as const) {
    if (!schema) continue;
    const json = jsonSchemaOf(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, prop] of Object.entries(json.properties ?? {})) {
      const doc = e.docs.parameters?.[name];
      out.push({
        name,
        in: where,
        required: where === "path" || (json.required ?? []).includes(name),
        description: doc?.description ?? "",
        schema: prop,
        ...(doc ? { example: doc.example } : {}),
      });
    }
  }
  if (e.idempotent) {
    out.push({
      name: IDEMPOTENCY_HEADER,
      in: "header",
      required: false,
      description:
        `Optional. A unique value per operation (a UUID, say). A retry with the same ${IDEMPOTENCY_HEADER} within ${IDEMPOTENCY_TTL_HOURS} hours gets the first answer again ` +
        `(with the header Idempotent-Replayed: true) and changes nothing; the same ${IDEMPOTENCY_HEADER} with another method, path or body is a 400.`,
      schema: { type: "string", minLength: 1, maxLength: 255 },
      example: "5b3a0e54-2f0c-4b8e-9d1e-7a6c5f4e3d21",
    });
  }
  return out;
}

function operationOf(e: PublicEndpoint, allow: readonly string[]): OpenApiOperation {
  const keyed = e.auth.kind === "key";
  const scope = e.auth.kind === "key" ? e.auth.scope : undefined;
  const metered = e.auth.kind === "key" && e.auth.metered;
  const parameters = parametersOf(e);
  const headers: Record<string, HeaderRef> = { "X-Request-Id": headerRef("XRequestId") };
  if (keyed) for (const id of METERING_HEADERS) headers[headerName(id)] = headerRef(id);
  const examples = e.docs.response.examples;
  const errors = e.docs.errors ?? {};
  return {
    operationId: e.docs.operationId,
    summary: e.docs.summary,
    description: e.docs.description,
    tags: [e.docs.tag],
    security: keyed ? keyedSecurity() : [],
    ...(parameters.length ? { parameters } : {}),
    ...(e.body
      ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchemaOf(e.body, "input"), ...(e.docs.bodyExamples ? { examples: e.docs.bodyExamples } : {}) } } } }
      : {}),
    responses: {
      [String(e.response.status)]: {
        description: e.docs.response.description,
        headers,
        content: { "application/json": { schema: jsonSchemaOf(e.response.schema, "output"), ...(Object.keys(examples).length ? { examples } : {}) } },
      },
      ...errorResponses(errorCodesOf(e), {
        allow,
        scope,
        ...errors,
        when: { ...(keyed ? { quota_exceeded: metered ? METERED_QUOTA_WHEN : UNMETERED_QUOTA_WHEN } : {}), ...errors.when },
      }),
    },
    "x-scope": scope ?? null,
    "x-metered": metered,
  };
}

/** The OpenAPI 3.1 document of `endpoints`; `serverUrl` (an origin) becomes the only server, else "/". */
export function buildOpenApiDocument(endpoints: readonly PublicEndpoint[], serverUrl?: string): OpenApiDocument {
  const server = serverUrl ? serverUrl.replace(/\/+$/, "") : undefined;
  const paths: Record<string, OpenApiPathItem> = {};
  for (const e of endpoints) {
    const allow = PUBLIC_METHODS.filter((m) => endpoints.some((x) => x.path === e.path && x.method === m));
    (paths[e.path] ??= {})[e.method.toLowerCase() as HttpMethod] = operationOf(e, allow);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Llavero public API",
      version: "1",
      description:
        "JSON in, minified JSON out, UTF-8. Field names are snake_case; times are ISO 8601 in UTC. " +
        "Authenticate with `X-API-Key: sk_live_…` (or `Authorization: Bearer sk_live_…`). " +
        "Counting: every call made with a recognised key is an attempt; it is admitted when it passed the key, scope, rate-limit, use-cap and quota checks (refused otherwise, counting nowhere); " +
        "an admitted call to a metered endpoint (x-metered) is metered: it counts toward the team's monthly quota, whatever the endpoint then answers. " +
        "Overage: metered calls admitted after the quota of the plan in force at that moment was used up.",
    },
    servers: [{ url: server ?? "/", description: "This Llavero deployment" }],
    tags: TAGS,
    paths,
    webhooks: webhooksSection(),
    components: {
      securitySchemes: {
        ApiKeyHeader: { type: "apiKey", in: "header", name: "X-API-Key", description: "Your key, sk_live_ followed by 38 characters." },
        BearerAuth: { type: "http", scheme: "bearer", bearerFormat: "sk_live_ API key", description: "The same key as a bearer token." },
      },
      headers: headers(),
      schemas: componentSchemas(),
    },
  };
}
