/**
 * The OpenAPI 3.1 document of the public API, written by hand from the contract
 * (/work/shared/spec/public-api.md). Enums come from the code's own constants (scopes,
 * currencies, languages, error codes), and the audit result examples are computed by the real
 * scoring model, so they cannot drift from what the API answers. lib/public-api/openapi.test.ts
 * checks the document against the route files and the zod schemas.
 */
import { auditInputSchema, LIMITS, SUPPORTED_CATEGORIES, SUPPORTED_LANGS, type AuditInputBody } from "@/lib/presence-audit/audit-input.schema";
import { SUPPORTED_CURRENCIES } from "@/lib/presence-audit/rates";
import { computeAudit } from "@/lib/presence-audit/score";
import { ACTION_IDS, MODEL_VERSION } from "@/lib/presence-audit/stored";
import { KEY_SCOPES, type KeyScope } from "@/lib/keys/key-input.schema";
import { PLAN_IDS } from "@/lib/plans";
import { RFC_ERROR_CODES } from "@/lib/rfc/validate-rfc";
import { PUBLIC_ERRORS, type PublicErrorCode } from "@/lib/errors";

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
  /** The key scope the operation needs; null when it needs no key. */
  "x-scope": KeyScope | null;
  /** Whether an admitted call counts toward the team's monthly quota. */
  "x-metered": boolean;
}
export type HttpMethod = "get" | "post";
export type OpenApiPathItem = Partial<Record<HttpMethod, OpenApiOperation>> & { summary?: string; description?: string };
export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string; description?: string }>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, OpenApiPathItem>;
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
  not_found: "Unknown business or audit (for this team).",
  method_not_allowed: "Another HTTP method on this path; the Allow header lists the accepted ones.",
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
  not_found: "No audit with this id exists for your team.",
  method_not_allowed: "Use GET for this endpoint.",
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
  { name: "X-Quota-Limit", id: "XQuotaLimit", when: "Every response to a recognised key", description: "Calls the team's plan includes this month." },
  { name: "X-Quota-Remaining", id: "XQuotaRemaining", when: "Every response to a recognised key", description: "Calls left in the team's monthly quota." },
  { name: "Retry-After", id: "RetryAfter", when: "429 responses", description: "Seconds to wait before retrying." },
  { name: "Allow", id: "Allow", when: "405 responses", description: "The methods this path accepts, e.g. \"GET, POST\"." },
];

const METERING_HEADERS = ["XRateLimitLimit", "XRateLimitRemaining", "XRateLimitReset", "XQuotaLimit", "XQuotaRemaining"] as const;

/* Examples: the contract's, completed where it elides a value. ---------------------------- */

const EXAMPLE_REQUEST_ID = "5f0c2a9e-8d1b-4f7a-9c3e-2b6d1a4e8f70";
const EXAMPLE_AUDIT_ID = "7d0c2f1e-5b8a-4c3e-9f61-2a4b8c9d0e13";
const EXAMPLE_GENERATED_AT = "2026-11-22T10:00:03.000Z";

export const PING_EXAMPLE = {
  ok: true,
  key: {
    id: "3f6d2c1a-9b7e-4d5f-8a2c-1e0b9d8c7a6f",
    name: "Producción",
    prefix: "sk_live_Ab3d",
    last4: "x9Zq",
    scopes: ["ping", "validate", "audit:read", "audit:write"],
    expires_at: null,
  },
  team: { id: "c2b1a0f9-8e7d-4c6b-a5f4-e3d2c1b0a998", name: "Café Sol Media", plan: "pro" },
  quota: { limit: 2000, used: 1800, remaining: 200, resets_at: "2026-12-01T00:00:00.000Z" },
  rate_limit: { limit: 60, remaining: 59, reset_at: "2026-11-22T10:01:00.000Z" },
};

export const VALIDATE_REQUEST_EXAMPLE = { rfc: "GODE561231GR8" };
export const VALIDATE_RESPONSE_EXAMPLE = {
  rfc: "GODE561231GR8",
  valid: true,
  type: "fisica",
  checks: { format: true, date: true, check_digit: true },
  errors: [],
};
export const VALIDATE_INVALID_EXAMPLE = {
  rfc: "GODE561331GR8",
  valid: false,
  type: "fisica",
  checks: { format: true, date: false, check_digit: false },
  errors: ["invalid_date", "invalid_check_digit"],
};

export const AUDIT_INPUT_EXAMPLE: AuditInputBody = {
  business: {
    id: "place-123",
    name: "Café Sol",
    category: "restaurant",
    rating: 4.1,
    review_count: 38,
    photo_count: 6,
    review_response_rate: 0.2,
    posts_last_90_days: 0,
    has_website: true,
    has_hours: false,
    has_phone: true,
    description_length: 40,
    monthly_searches: 1200,
    average_ticket: 18,
  },
  competitors: [{ name: "Bar Luna", rating: 4.6, review_count: 210, photo_count: 80 }],
  lang: "es",
  currency: "EUR",
};

export const AUDIT_QUERY_EXAMPLE = { business_id: "place-123", lang: "en", currency: "USD" } as const;

const RESULT_URL_EXAMPLE = `/api/public/audit/${EXAMPLE_AUDIT_ID}`;

/** Results of the real model for the example input: in its own terms, and re-rendered. */
function auditResultExamples() {
  const input = auditInputSchema.parse(AUDIT_INPUT_EXAMPLE);
  const opts = { auditId: EXAMPLE_AUDIT_ID, generatedAt: EXAMPLE_GENERATED_AT };
  return {
    asRequested: computeAudit(input, opts),
    rerendered: computeAudit(input, { ...opts, lang: AUDIT_QUERY_EXAMPLE.lang, currency: AUDIT_QUERY_EXAMPLE.currency }),
  };
}

/* Building blocks. ------------------------------------------------------------------------- */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const headerRef = (id: string): HeaderRef => ({ $ref: `#/components/headers/${id}` });
/** Either scheme carries the same key. A function so that no two operations share one array. */
const keyedSecurity = (): Array<Record<string, string[]>> => [{ ApiKeyHeader: [] }, { BearerAuth: [] }];

interface ErrorOptions {
  /** The methods the path accepts, for the 405 example. */
  allow: readonly string[];
  /** The operation's scope, for the insufficient_scope example. */
  scope?: KeyScope;
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

function successResponse(description: string, schemaName: string, examples: Record<string, OpenApiExample>, keyed = true): OpenApiResponse {
  const headers: Record<string, HeaderRef> = { "X-Request-Id": headerRef("XRequestId") };
  if (keyed) for (const id of METERING_HEADERS) headers[headerName(id)] = headerRef(id);
  return { description, headers, content: { "application/json": { schema: ref(schemaName), examples } } };
}

const KEY_REFUSALS = [
  "missing_api_key",
  "invalid_api_key",
  "key_expired",
  "key_disabled",
  "ip_not_allowed",
  "insufficient_scope",
  "rate_limited",
  "quota_exceeded",
] as const satisfies readonly PublicErrorCode[];

/** An endpoint that does not count toward the quota still stops at the key's total-use cap. */
const METERED_QUOTA_WHEN =
  "The team's monthly quota is spent and no overage is allowed (or the key's total-use cap is spent); Retry-After in seconds, until the month turns for the quota.";
const UNMETERED_QUOTA_WHEN = "The key's total-use cap is spent (this endpoint does not count toward the team's quota); Retry-After in seconds.";

/* Schemas. --------------------------------------------------------------------------------- */

const int = (min: number, max?: number) => ({ type: "integer", minimum: min, ...(max !== undefined ? { maximum: max } : {}) });
const dateTime = { type: "string", format: "date-time" };

function schemas(): Record<string, JsonSchema> {
  return {
    Lang: { type: "string", enum: [...SUPPORTED_LANGS], default: "es", description: "Language of texts. Case-insensitive." },
    Currency: { type: "string", enum: [...SUPPORTED_CURRENCIES], default: "EUR", description: "ISO 4217 code. Case-insensitive." },
    Scope: { type: "string", enum: [...KEY_SCOPES] },
    Ping: {
      type: "object",
      required: ["ok", "key", "team", "quota", "rate_limit"],
      properties: {
        ok: { const: true },
        key: {
          type: "object",
          required: ["id", "name", "prefix", "last4", "scopes", "expires_at"],
          properties: {
            id: { type: "string", format: "uuid" },
            name: { type: "string" },
            prefix: { type: "string", description: "The first 12 characters of the key." },
            last4: { type: "string" },
            scopes: { type: "array", items: ref("Scope") },
            expires_at: { type: ["string", "null"], format: "date-time" },
          },
        },
        team: {
          type: "object",
          required: ["id", "name", "plan"],
          properties: { id: { type: "string", format: "uuid" }, name: { type: "string" }, plan: { type: "string", enum: [...PLAN_IDS] } },
        },
        quota: {
          type: "object",
          description: "The team's monthly quota.",
          required: ["limit", "used", "remaining", "resets_at"],
          properties: { limit: int(0), used: int(0), remaining: int(0), resets_at: dateTime },
        },
        rate_limit: {
          type: "object",
          description: "This key's per-minute window.",
          required: ["limit", "remaining", "reset_at"],
          properties: { limit: int(0), remaining: int(0), reset_at: dateTime },
        },
      },
    },
    ValidateRequest: {
      type: "object",
      additionalProperties: false,
      required: ["rfc"],
      properties: { rfc: { type: "string", maxLength: 64, description: "Trimmed and upper-cased before checking." } },
    },
    RfcVerdict: {
      type: "object",
      required: ["rfc", "valid", "type", "checks", "errors"],
      properties: {
        rfc: { type: "string", description: "The input, trimmed and upper-cased." },
        valid: { type: "boolean" },
        type: { enum: ["fisica", "moral", null], description: "fisica (13 characters), moral (12), or null when the format is unrecognisable." },
        checks: {
          type: "object",
          required: ["format", "date", "check_digit"],
          properties: { format: { type: "boolean" }, date: { type: "boolean" }, check_digit: { type: "boolean" } },
        },
        errors: { type: "array", items: { type: "string", enum: [...RFC_ERROR_CODES] } },
      },
    },
    Business: {
      type: "object",
      additionalProperties: false,
      required: [
        "id", "name", "category", "rating", "review_count", "photo_count", "review_response_rate", "posts_last_90_days",
        "has_website", "has_hours", "has_phone", "description_length", "monthly_searches", "average_ticket",
      ],
      properties: {
        id: { type: "string", minLength: 1, maxLength: 128, description: "Your id for the business (a Google place id, say)." },
        name: { type: "string", minLength: 1, maxLength: 200 },
        category: {
          type: "string",
          minLength: 1,
          maxLength: 100,
          description: `Unknown categories count as "other". Known: ${SUPPORTED_CATEGORIES.join(", ")}.`,
          examples: [...SUPPORTED_CATEGORIES],
        },
        rating: { type: "number", minimum: 0, maximum: 5 },
        review_count: int(0, LIMITS.maxReviews),
        photo_count: int(0, LIMITS.maxPhotos),
        review_response_rate: { type: "number", minimum: 0, maximum: 1 },
        posts_last_90_days: int(0, LIMITS.maxPosts90d),
        has_website: { type: "boolean" },
        has_hours: { type: "boolean" },
        has_phone: { type: "boolean" },
        description_length: int(0, LIMITS.maxDescription),
        monthly_searches: int(0, LIMITS.maxMonthlySearches),
        average_ticket: { type: "number", exclusiveMinimum: 0, maximum: LIMITS.maxAverageTicket, description: "In the request's currency." },
      },
    },
    Competitor: {
      type: "object",
      additionalProperties: false,
      required: ["name", "rating", "review_count", "photo_count"],
      properties: {
        name: { type: "string", minLength: 1, maxLength: 200 },
        rating: { type: "number", minimum: 0, maximum: 5 },
        review_count: int(0, LIMITS.maxReviews),
        photo_count: int(0, LIMITS.maxPhotos),
      },
    },
    AuditInput: {
      type: "object",
      additionalProperties: false,
      required: ["business"],
      properties: {
        business: ref("Business"),
        competitors: { type: "array", items: ref("Competitor"), maxItems: LIMITS.maxCompetitors, default: [] },
        lang: ref("Lang"),
        currency: ref("Currency"),
      },
    },
    AuditAccepted: {
      type: "object",
      required: ["audit_id", "status", "result_url"],
      properties: {
        audit_id: { type: "string" },
        status: { const: "queued" },
        result_url: { type: "string", format: "uri-reference", description: "The path of GET /api/public/audit/{audit_id} for this audit, relative to the server." },
      },
    },
    AuditAction: {
      type: "object",
      required: ["id", "title", "detail", "score_gain", "revenue_monthly"],
      properties: {
        id: { type: "string", enum: [...ACTION_IDS] },
        title: { type: "string" },
        detail: { type: "string" },
        score_gain: int(0, 100),
        revenue_monthly: { type: "number", minimum: 0, description: "Monthly revenue recovered, in the result's currency." },
      },
    },
    AuditResult: {
      type: "object",
      required: ["business_id", "score", "revenue_lost", "top_actions", "meta"],
      properties: {
        business_id: { type: "string" },
        score: int(0, 100),
        revenue_lost: {
          type: "object",
          required: ["monthly", "currency"],
          properties: { monthly: { type: "number", minimum: 0 }, currency: ref("Currency") },
        },
        top_actions: { type: "array", items: ref("AuditAction"), minItems: 3, maxItems: 3, description: "Exactly three, largest gain first." },
        meta: {
          type: "object",
          required: ["audit_id", "generated_at", "lang", "currency", "model_version"],
          properties: {
            audit_id: { type: "string" },
            generated_at: dateTime,
            lang: ref("Lang"),
            currency: ref("Currency"),
            model_version: { const: MODEL_VERSION },
          },
        },
      },
    },
    AuditStatus: {
      type: "object",
      required: ["audit_id", "status"],
      properties: {
        audit_id: { type: "string" },
        status: { type: "string", enum: ["queued", "running", "completed", "failed"] },
        result: { ...ref("AuditResult"), description: "Present when status is completed." },
        error: { type: "string", description: "Present when status is failed: why, in words." },
      },
    },
    Error: {
      type: "object",
      additionalProperties: false,
      required: ["error"],
      properties: {
        error: {
          type: "object",
          additionalProperties: false,
          required: ["code", "message", "request_id"],
          properties: {
            code: { type: "string", enum: Object.keys(PUBLIC_ERRORS) },
            message: { type: "string", description: "For people; never parse it." },
            request_id: { type: "string", description: "Same as the X-Request-Id header." },
            details: {
              type: "array",
              description: "With invalid_request: the fields that failed.",
              items: {
                type: "object",
                required: ["path", "message"],
                properties: { path: { type: "string" }, message: { type: "string" } },
              },
            },
          },
        },
      },
    },
  };
}

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

/** The OpenAPI 3.1 document; `serverUrl` (an origin) becomes the only server, else "/". */
export function openApiDocument(serverUrl?: string): OpenApiDocument {
  const audit = auditResultExamples();
  const server = serverUrl ? serverUrl.replace(/\/+$/, "") : undefined;
  const jsonBody = (schemaName: string, examples: Record<string, OpenApiExample>) => ({
    required: true,
    content: { "application/json": { schema: ref(schemaName), examples } },
  });

  return {
    openapi: "3.1.0",
    info: {
      title: "Llavero public API",
      version: "1",
      description:
        "JSON in, minified JSON out, UTF-8. Field names are snake_case; times are ISO 8601 in UTC. " +
        "Authenticate with `X-API-Key: sk_live_…` (or `Authorization: Bearer sk_live_…`). " +
        "A call counts toward the team's monthly quota when it passed authentication, scope, rate-limit and quota checks, whatever the endpoint then answers.",
    },
    servers: [{ url: server ?? "/", description: "This Llavero deployment" }],
    tags: [
      { name: "Keys", description: "Check a key and the quota left." },
      { name: "RFC", description: "Mexican tax id (RFC) validation." },
      { name: "Audit", description: "Online-presence audit of a local business." },
      { name: "Meta", description: "This document." },
    ],
    paths: {
      "/api/public/ping": {
        get: {
          operationId: "ping",
          summary: "Check a key",
          description: "Tells a client whether its key works and how much quota is left. Does not count toward the quota.",
          tags: ["Keys"],
          security: keyedSecurity(),
          "x-scope": "ping",
          "x-metered": false,
          responses: {
            "200": successResponse("The key works.", "Ping", { ok: { summary: "A working key", value: PING_EXAMPLE } }),
            ...errorResponses([...KEY_REFUSALS, "method_not_allowed", "internal_error"], {
              allow: ["GET"],
              scope: "ping",
              when: { quota_exceeded: UNMETERED_QUOTA_WHEN },
            }),
          },
        },
      },
      "/api/public/validate": {
        post: {
          operationId: "validateRfc",
          summary: "Validate an RFC",
          description:
            "Checks a Mexican RFC's structure, date and check digit. Answers 200 with the verdict even when the RFC is invalid. " +
            "Input is trimmed and upper-cased; Ñ and & are letters. The generic RFCs XAXX010101000 and XEXX010101000 are valid.",
          tags: ["RFC"],
          security: keyedSecurity(),
          "x-scope": "validate",
          "x-metered": true,
          requestBody: jsonBody("ValidateRequest", { fisica: { summary: "A persona física", value: VALIDATE_REQUEST_EXAMPLE } }),
          responses: {
            "200": successResponse("The verdict, valid or not.", "RfcVerdict", {
              valid: { summary: "A valid RFC", value: VALIDATE_RESPONSE_EXAMPLE },
              invalid: { summary: "An impossible date (and so a wrong check digit)", value: VALIDATE_INVALID_EXAMPLE },
            }),
            ...errorResponses(["invalid_request", ...KEY_REFUSALS, "method_not_allowed", "payload_too_large", "unsupported_media_type", "internal_error"], {
              allow: ["POST"],
              scope: "validate",
              when: { quota_exceeded: METERED_QUOTA_WHEN },
              details: [{ path: "rfc", message: "Invalid input: expected string, received number" }],
            }),
          },
        },
      },
      "/api/public/audit": {
        get: {
          operationId: "getLatestAudit",
          summary: "Latest audit of a business",
          description: "The team's latest audit of that business, re-rendered in `lang` and `currency`. 404 `not_found` if the team never audited it.",
          tags: ["Audit"],
          security: keyedSecurity(),
          "x-scope": "audit:read",
          "x-metered": true,
          parameters: [
            { name: "business_id", in: "query", required: true, description: "The business's id, as sent in the audit.", schema: { type: "string", minLength: 1, maxLength: 128 }, example: AUDIT_QUERY_EXAMPLE.business_id },
            { name: "lang", in: "query", required: false, description: "Language of the texts; defaults to es. Anything else is a 400.", schema: ref("Lang"), example: AUDIT_QUERY_EXAMPLE.lang },
            { name: "currency", in: "query", required: false, description: "Currency of money amounts; defaults to EUR. Unsupported is a 400.", schema: ref("Currency"), example: AUDIT_QUERY_EXAMPLE.currency },
          ],
          responses: {
            "200": successResponse("The latest audit, in the language and currency asked for.", "AuditResult", {
              rerendered: { summary: `Re-rendered in ${AUDIT_QUERY_EXAMPLE.lang} and ${AUDIT_QUERY_EXAMPLE.currency}`, value: audit.rerendered },
            }),
            ...errorResponses(["invalid_request", ...KEY_REFUSALS, "not_found", "method_not_allowed", "internal_error"], {
              allow: ["GET", "POST"],
              scope: "audit:read",
              messages: { invalid_request: "The query string is not valid.", not_found: 'Your team has never audited the business "place-123".' },
              details: [{ path: "currency", message: 'Invalid option: expected one of "EUR"|"USD"|…' }],
              when: {
                quota_exceeded: METERED_QUOTA_WHEN,
                invalid_request: "A missing business_id, or an unsupported lang or currency; error.details lists the fields.",
                not_found: "The team never audited this business, or none of its audits has completed yet (the message then links the one in progress).",
              },
            }),
          },
        },
        post: {
          operationId: "startAudit",
          summary: "Start an audit",
          description:
            "Queues an audit and answers 202 at once; the audit runs in the background and fires the `audit.completed` webhook. " +
            `\`average_ticket\` is in \`currency\`. Up to ${LIMITS.maxCompetitors} competitors.`,
          tags: ["Audit"],
          security: keyedSecurity(),
          "x-scope": "audit:write",
          "x-metered": true,
          requestBody: jsonBody("AuditInput", { cafe: { summary: "A café and one competitor", value: AUDIT_INPUT_EXAMPLE } }),
          responses: {
            "202": successResponse("Accepted; poll result_url or wait for the audit.completed webhook.", "AuditAccepted", {
              queued: { summary: "Queued", value: { audit_id: EXAMPLE_AUDIT_ID, status: "queued", result_url: RESULT_URL_EXAMPLE } },
            }),
            ...errorResponses(["invalid_request", ...KEY_REFUSALS, "method_not_allowed", "payload_too_large", "unsupported_media_type", "internal_error"], {
              allow: ["GET", "POST"],
              scope: "audit:write",
              when: { quota_exceeded: METERED_QUOTA_WHEN },
              details: [{ path: "business.rating", message: "Too big: expected number to be <=5" }],
            }),
          },
        },
      },
      "/api/public/audit/{audit_id}": {
        get: {
          operationId: "getAudit",
          summary: "An audit's status",
          description: "Where a queued audit stands: queued, running, completed (with its result) or failed (with an error). Does not count toward the quota.",
          tags: ["Audit"],
          security: keyedSecurity(),
          "x-scope": "audit:read",
          "x-metered": false,
          parameters: [{ name: "audit_id", in: "path", required: true, description: "As returned by POST /api/public/audit.", schema: { type: "string" }, example: EXAMPLE_AUDIT_ID }],
          responses: {
            "200": successResponse("The audit's status.", "AuditStatus", {
              completed: { summary: "Completed", value: { audit_id: EXAMPLE_AUDIT_ID, status: "completed", result: audit.asRequested } },
              queued: { summary: "Still queued", value: { audit_id: EXAMPLE_AUDIT_ID, status: "queued" } },
              failed: {
                summary: "Failed",
                value: { audit_id: EXAMPLE_AUDIT_ID, status: "failed", error: "The stored audit input is not valid: business.rating: Too big: expected number to be <=5" },
              },
            }),
            ...errorResponses([...KEY_REFUSALS, "not_found", "method_not_allowed", "internal_error"], {
              allow: ["GET"],
              scope: "audit:read",
              messages: { not_found: "No audit with this id exists for your team." },
              when: {
                quota_exceeded: UNMETERED_QUOTA_WHEN,
                not_found: "No such audit for this team (another team's audit is a 404 too).",
              },
            }),
          },
        },
      },
      "/api/public/openapi.json": {
        get: {
          operationId: "openApiDocument",
          summary: "This document",
          description: "The OpenAPI 3.1 document of this API. Needs no key.",
          tags: ["Meta"],
          security: [],
          "x-scope": null,
          "x-metered": false,
          responses: {
            "200": {
              description: "The OpenAPI document.",
              headers: { "X-Request-Id": headerRef("XRequestId") },
              content: { "application/json": { schema: { type: "object", required: ["openapi", "info", "paths"] } } },
            },
            ...errorResponses(["method_not_allowed"], { allow: ["GET"] }),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        ApiKeyHeader: { type: "apiKey", in: "header", name: "X-API-Key", description: "Your key, sk_live_ followed by 38 characters." },
        BearerAuth: { type: "http", scheme: "bearer", bearerFormat: "sk_live_ API key", description: "The same key as a bearer token." },
      },
      headers: headers(),
      schemas: schemas(),
    },
  };
}
