import { env } from "@/lib/env";
import { openEndpoint, type PublicEndpoint } from "../endpoint";
import { buildOpenApiDocument, type OpenApiDocument } from "../openapi";
import { auditStatus, latestAudit, startAudit } from "./audit";
import { jwks, license, subscription } from "./billing";
import { disableKeyEndpoint, enableKeyEndpoint, revokeKeyEndpoint, rotateKeyEndpoint } from "./key-actions";
import { createKeyEndpoint, getKeyEndpoint, listKeysEndpoint, me, updateKeyEndpoint } from "./keys";
import { ping } from "./ping";
import { validate } from "./validate";
import { z } from "zod";

/** GET /api/public/openapi.json: the OpenAPI 3.1 document of the public API; needs no key. */
export const openApiJson: PublicEndpoint = openEndpoint({
  method: "GET",
  path: "/api/public/openapi.json",
  // Described, not re-checked: the document's own shape is OpenAPI 3.1's.
  response: { status: 200, schema: z.object({ openapi: z.string(), info: z.object({}).loose(), paths: z.object({}).loose() }).loose() as unknown as z.ZodType<OpenApiDocument> },
  handler: async ({ req }) => ({
    // APP_URL names the public origin behind a proxy; otherwise the origin this request reached.
    body: openApiDocument(env().APP_URL ?? new URL(req.url).origin),
    headers: { "cache-control": "public, max-age=300" },
  }),
  docs: {
    operationId: "openApiDocument",
    summary: "This document",
    description: "The OpenAPI 3.1 document of this API. Needs no key.",
    tag: "Meta",
    response: { description: "The OpenAPI document.", examples: {} },
  },
});

/** Every public endpoint, in the order the document and the API page list them. */
export const PUBLIC_ENDPOINTS: readonly PublicEndpoint[] = [
  ping,
  validate,
  latestAudit,
  startAudit,
  auditStatus,
  me,
  createKeyEndpoint,
  listKeysEndpoint,
  getKeyEndpoint,
  updateKeyEndpoint,
  disableKeyEndpoint,
  enableKeyEndpoint,
  rotateKeyEndpoint,
  revokeKeyEndpoint,
  subscription,
  license,
  jwks,
  openApiJson,
];

/** The OpenAPI document of every public endpoint; `serverUrl` (an origin) becomes its server, else "/". */
export function openApiDocument(serverUrl?: string): OpenApiDocument {
  return buildOpenApiDocument(PUBLIC_ENDPOINTS, serverUrl);
}

export {
  auditStatus,
  createKeyEndpoint,
  disableKeyEndpoint,
  enableKeyEndpoint,
  getKeyEndpoint,
  jwks,
  latestAudit,
  license,
  listKeysEndpoint,
  me,
  ping,
  revokeKeyEndpoint,
  rotateKeyEndpoint,
  startAudit,
  subscription,
  updateKeyEndpoint,
  validate,
};
