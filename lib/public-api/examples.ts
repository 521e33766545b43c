/**
 * The document's examples: the contract's, completed where it elides a value. The audit results
 * are computed by the real scoring model and the RFC verdicts by the real validator (the OpenAPI
 * test checks it), so they cannot drift from what the API answers.
 */
import { auditInputSchema, type AuditInputBody } from "@/lib/presence-audit/audit-input.schema";
import { computeAudit } from "@/lib/presence-audit/score";

export const EXAMPLE_REQUEST_ID = "5f0c2a9e-8d1b-4f7a-9c3e-2b6d1a4e8f70";
export const EXAMPLE_AUDIT_ID = "7d0c2f1e-5b8a-4c3e-9f61-2a4b8c9d0e13";
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

export const RESULT_URL_EXAMPLE = `/api/public/audit/${EXAMPLE_AUDIT_ID}`;

/** Results of the real model for the example input: in its own terms, and re-rendered. */
export function auditResultExamples() {
  const input = auditInputSchema.parse(AUDIT_INPUT_EXAMPLE);
  const opts = { auditId: EXAMPLE_AUDIT_ID, generatedAt: EXAMPLE_GENERATED_AT };
  return {
    asRequested: computeAudit(input, opts),
    rerendered: computeAudit(input, { ...opts, lang: AUDIT_QUERY_EXAMPLE.lang, currency: AUDIT_QUERY_EXAMPLE.currency }),
  };
}

