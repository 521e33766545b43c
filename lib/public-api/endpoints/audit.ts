import { z } from "zod";
import { auditInputSchema, auditQuerySchema, businessSchema, competitorSchema, currencySchema, langSchema, LIMITS, SUPPORTED_CATEGORIES } from "@/lib/presence-audit/audit-input.schema";
import { auditAcceptedSchema, auditActionSchema, auditResultSchema, auditStatusSchema, currencyOutSchema, langOutSchema } from "@/lib/presence-audit/audit-output.schema";
import { getAudit, latestAuditFor, queueAudit } from "@/lib/presence-audit/service";
import { keyedEndpoint } from "../endpoint";
import { AUDIT_INPUT_EXAMPLE, AUDIT_QUERY_EXAMPLE, auditResultExamples, EXAMPLE_AUDIT_ID, RESULT_URL_EXAMPLE } from "../examples";
import { component } from "../schemas";

const LANG = { description: "Language of texts. Case-insensitive." };
const CURRENCY = { description: "ISO 4217 code. Case-insensitive." };
component("Lang", langSchema, { ...LANG, input: true });
component("Currency", currencySchema, { ...CURRENCY, input: true });
component("Lang", langOutSchema, LANG);
component("Currency", currencyOutSchema, CURRENCY);
component("Business", businessSchema, { input: true });
component("Competitor", competitorSchema, { input: true });
component("AuditInput", auditInputSchema, { input: true });
component("AuditAccepted", auditAcceptedSchema);
component("AuditAction", auditActionSchema);
component("AuditResult", auditResultSchema);
component("AuditStatus", auditStatusSchema);

const audits = auditResultExamples();
const METERED_QUOTA_WHEN =
  "The team's monthly quota is spent and the plan allows no overage (or the overage hard cap is reached); Retry-After in seconds, until the month turns.";

/** GET /api/public/audit?business_id=…: the team's latest audit of a business, re-rendered. */
export const latestAudit = keyedEndpoint({
  method: "GET",
  path: "/api/public/audit",
  scope: "audit:read",
  metered: true,
  query: auditQuerySchema,
  response: { status: 200, schema: auditResultSchema },
  errors: ["not_found"],
  handler: async ({ query, call, db }) => {
    const result = await latestAuditFor(db, call.team_id, query.business_id, query.lang, query.currency);
    return { body: result, summary: { business_id: result.business_id, score: result.score } };
  },
  docs: {
    operationId: "getLatestAudit",
    summary: "Latest audit of a business",
    description: "The team's latest audit of that business, re-rendered in `lang` and `currency`. 404 `not_found` if the team never audited it.",
    tag: "Audit",
    parameters: {
      business_id: { description: "The business's id, as sent in the audit.", example: AUDIT_QUERY_EXAMPLE.business_id },
      lang: { description: "Language of the texts; defaults to es. Anything else is a 400.", example: AUDIT_QUERY_EXAMPLE.lang },
      currency: { description: "Currency of money amounts; defaults to EUR. Unsupported is a 400.", example: AUDIT_QUERY_EXAMPLE.currency },
    },
    response: {
      description: "The latest audit, in the language and currency asked for.",
      examples: { rerendered: { summary: `Re-rendered in ${AUDIT_QUERY_EXAMPLE.lang} and ${AUDIT_QUERY_EXAMPLE.currency}`, value: audits.rerendered } },
    },
    errors: {
      messages: { invalid_request: "The query string is not valid.", not_found: 'Your team has never audited the business "place-123".' },
      details: [{ path: "currency", message: 'Invalid option: expected one of "EUR"|"USD"|…' }],
      when: {
        quota_exceeded: METERED_QUOTA_WHEN,
        invalid_request: "A missing business_id, or an unsupported lang or currency; error.details lists the fields.",
        not_found: "The team never audited this business, or none of its audits has completed yet (the message then links the one in progress).",
      },
    },
  },
});

/** POST /api/public/audit: queue an audit; 202 at once. */
export const startAudit = keyedEndpoint({
  method: "POST",
  path: "/api/public/audit",
  scope: "audit:write",
  metered: true,
  body: auditInputSchema,
  response: { status: 202, schema: auditAcceptedSchema },
  handler: async ({ body, call, db }) => {
    const queued = await queueAudit(db, { teamId: call.team_id, keyId: call.key_id, input: body });
    return { body: queued, summary: { business_id: body.business.id, audit_id: queued.audit_id } };
  },
  docs: {
    operationId: "startAudit",
    summary: "Start an audit",
    description:
      "Queues an audit and answers 202 at once; the audit runs in the background and fires the `audit.completed` webhook. " +
      `\`average_ticket\` is in \`currency\`. Up to ${LIMITS.maxCompetitors} competitors. Known categories: ${SUPPORTED_CATEGORIES.join(", ")}; others count as "other".`,
    tag: "Audit",
    bodyExamples: { cafe: { summary: "A café and one competitor", value: AUDIT_INPUT_EXAMPLE } },
    response: {
      description: "Accepted; poll result_url or wait for the audit.completed webhook.",
      examples: { queued: { summary: "Queued", value: { audit_id: EXAMPLE_AUDIT_ID, status: "queued", result_url: RESULT_URL_EXAMPLE } } },
    },
    errors: { when: { quota_exceeded: METERED_QUOTA_WHEN }, details: [{ path: "business.rating", message: "Too big: expected number to be <=5" }] },
  },
});

/** GET /api/public/audit/{audit_id}: one audit's status and, once completed, its result. Not metered. */
export const auditStatus = keyedEndpoint({
  method: "GET",
  path: "/api/public/audit/{audit_id}",
  scope: "audit:read",
  metered: false,
  params: z.object({ audit_id: z.string() }),
  response: { status: 200, schema: auditStatusSchema },
  errors: ["not_found"],
  handler: async ({ params, call, db }) => {
    const view = await getAudit(db, call.team_id, params.audit_id);
    return { body: view, summary: { business_id: view.result?.business_id ?? null, score: view.result?.score ?? null } };
  },
  docs: {
    operationId: "getAudit",
    summary: "An audit's status",
    description: "Where a queued audit stands: queued, running, completed (with its result) or failed (with an error). Does not count toward the quota.",
    tag: "Audit",
    parameters: { audit_id: { description: "As returned by POST /api/public/audit.", example: EXAMPLE_AUDIT_ID } },
    response: {
      description: "The audit's status.",
      examples: {
        completed: { summary: "Completed", value: { audit_id: EXAMPLE_AUDIT_ID, status: "completed", result: audits.asRequested } },
        queued: { summary: "Still queued", value: { audit_id: EXAMPLE_AUDIT_ID, status: "queued" } },
        failed: {
          summary: "Failed",
          value: { audit_id: EXAMPLE_AUDIT_ID, status: "failed", error: "The stored audit input is not valid: business.rating: Too big: expected number to be <=5" },
        },
      },
    },
    errors: {
      messages: { not_found: "No audit with this id exists for your team." },
      when: { not_found: "No such audit for this team (another team's audit is a 404 too)." },
    },
  },
});
