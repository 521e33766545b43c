import { describe, expect, it } from "vitest";
import { z } from "zod";
import { auditInputSchema, auditQuerySchema } from "@/lib/presence-audit/audit-input.schema";
import { KEY_SCOPES } from "@/lib/keys/key-input.schema";
import { validateRfc } from "@/lib/rfc/validate-rfc";
import { PUBLIC_ERRORS, type PublicErrorCode } from "@/lib/errors";
import { openApiDocument, PUBLIC_ENDPOINTS } from "./endpoints";
import {
  AUDIT_INPUT_EXAMPLE,
  AUDIT_QUERY_EXAMPLE,
  PING_EXAMPLE,
  VALIDATE_INVALID_EXAMPLE,
  VALIDATE_REQUEST_EXAMPLE,
  VALIDATE_RESPONSE_EXAMPLE,
} from "./examples";
import { ERROR_WHEN, HTTP_METHODS, RESPONSE_HEADERS, type HttpMethod, type JsonSchema, type OpenApiDocument, type OpenApiOperation } from "./openapi";
import { webhookComponentName } from "./openapi-webhooks";
import { pingBody } from "./ping";
import { webhookEventSchemas, type WebhookEventType } from "@/lib/webhooks/events.schema";
import { generateWebhookSecret } from "@/lib/webhooks/secret";
import { signatureHeaders } from "@/lib/webhooks/sign";
import type { VerifiedCall } from "./verify";

const OTHER_METHODS = ["PUT", "PATCH", "DELETE"] as const;

function operations(doc: OpenApiDocument): Array<{ path: string; method: HttpMethod; op: OpenApiOperation }> {
  return Object.entries(doc.paths).flatMap(([p, item]) =>
    HTTP_METHODS.flatMap((method) => (item[method] ? [{ path: p, method, op: item[method] }] : [])),
  );
}

/**
 * A zod validator for one schema of the document, resolving its component $refs. zod reads
 * `format: "uri-reference"` as an absolute URL, which a relative path is not, so that one
 * format is left out.
 */
function validatorFor(doc: OpenApiDocument, schema: JsonSchema) {
  const rewrite = (value: unknown) =>
    JSON.parse(JSON.stringify(value).replaceAll("#/components/schemas/", "#/$defs/").replaceAll(',"format":"uri-reference"', "")) as JsonSchema;
  return z.fromJSONSchema({ ...rewrite(schema), $defs: rewrite(doc.components.schemas) } as Parameters<typeof z.fromJSONSchema>[0]);
}

/** The route module serving a declared path: `{audit_id}` is the `[audit_id]` folder. */
async function routeModule(path: string): Promise<Record<string, (req?: Request) => Promise<Response>>> {
  const dir = path.replace(/\{([^}]+)\}/g, "[$1]");
  return (await import(/* @vite-ignore */ `@/app${dir}/route`)) as Record<string, (req?: Request) => Promise<Response>>;
}

const doc = openApiDocument("https://api.example.com");
const ops = operations(doc);
const paths = [...new Set(PUBLIC_ENDPOINTS.map((e) => e.path))];

describe("the OpenAPI document and the endpoint declarations", () => {
  it("finds the public endpoints", () => {
    expect(paths).toContain("/api/public/ping");
  });

  it("documents every declared endpoint, and nothing else", () => {
    const declared = PUBLIC_ENDPOINTS.map((e) => `${e.method} ${e.path}`).sort();
    const documented = ops.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort();
    expect(documented).toEqual(declared);
  });

  it("each path's route file answers every other method with 405 naming exactly the documented methods in Allow", async () => {
    for (const p of paths) {
      const route = await routeModule(p);
      const documented = HTTP_METHODS.filter((m) => doc.paths[p]?.[m]).map((m) => m.toUpperCase());
      const others = [...OTHER_METHODS.filter((m) => !documented.includes(m)), ...(["GET", "POST"] as const).filter((m) => !documented.includes(m))];
      for (const m of others) {
        expect(route[m], `${p} exports ${m}`).toBeTypeOf("function");
        const res = await route[m]!(new Request(`http://localhost${p}`, { method: m }));
        expect(res.status, `${m} ${p}`).toBe(405);
        expect(res.headers.get("allow"), `${m} ${p}`).toBe(documented.join(", "));
      }
      for (const m of documented) expect(route[m], `${p} exports ${m}`).toBeTypeOf("function");
    }
  });

  it("gives each operation the scope and metering its declaration has", () => {
    for (const e of PUBLIC_ENDPOINTS) {
      const op = ops.find((o) => o.path === e.path && o.method === e.method.toLowerCase())?.op;
      expect(op, `${e.method} ${e.path}`).toBeDefined();
      const expected = e.auth.kind === "key" ? { scope: e.auth.scope, metered: e.auth.metered } : { scope: null, metered: false };
      expect({ scope: op!["x-scope"], metered: op!["x-metered"] }, `${e.method} ${e.path}`).toEqual(expected);
    }
  });

  it("path parameters are declared for every {param} of a path", () => {
    for (const { path: p, op } of ops) {
      const inPath = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((x) => x.in === "path").map((x) => x.name);
      expect(declared, p).toEqual(inPath);
    }
  });
});

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1.0 and survives a JSON round trip unchanged", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: "Llavero public API", version: "1" });
    expect(doc.servers).toEqual([{ url: "https://api.example.com", description: expect.any(String) }]);
    expect(openApiDocument().servers[0]?.url).toBe("/");
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it("declares both ways of sending a key", () => {
    expect(doc.components.securitySchemes).toEqual({
      ApiKeyHeader: expect.objectContaining({ type: "apiKey", in: "header", name: "X-API-Key" }),
      BearerAuth: expect.objectContaining({ type: "http", scheme: "bearer" }),
    });
  });

  it("requires a key on every operation except openapi.json and jwks.json", () => {
    for (const { path: p, op } of ops) {
      if (p === "/api/public/openapi.json" || p === "/api/public/jwks.json") {
        expect(op.security).toEqual([]);
        expect(op["x-scope"]).toBeNull();
      } else {
        expect(op.security, p).toEqual([{ ApiKeyHeader: [] }, { BearerAuth: [] }]);
        // null on a keyed operation: any valid key (GET /api/public/me).
        expect([...KEY_SCOPES, null], p).toContain(op["x-scope"]);
        if (op["x-scope"] === null) expect(PUBLIC_ENDPOINTS.find((e) => e.path === p && e.auth.kind === "key" && e.auth.scope === null), p).toBeDefined();
        expect(op.responses["401"], p).toBeDefined();
      }
    }
  });

  it("has unique operation ids", () => {
    const ids = ops.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("enumerates exactly the contract's error codes", () => {
    const error = doc.components.schemas.Error as { properties: { error: { properties: { code: { enum: string[] } } } } };
    expect(error.properties.error.properties.code.enum).toEqual(Object.keys(PUBLIC_ERRORS));
    expect(Object.keys(ERROR_WHEN).sort()).toEqual(Object.keys(PUBLIC_ERRORS).sort());
  });

  it("files each error example under its code's status, and every code occurs somewhere", () => {
    const seen = new Set<string>();
    for (const { path: p, op } of ops) {
      for (const [status, res] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue;
        const examples = res.content?.["application/json"]?.examples ?? {};
        expect(Object.keys(examples).length, `${p} ${status}`).toBeGreaterThan(0);
        for (const [code, ex] of Object.entries(examples)) {
          seen.add(code);
          expect(PUBLIC_ERRORS[code as PublicErrorCode], `${p} ${code}`).toBe(Number(status));
          expect((ex.value as { error: { code: string } }).error.code).toBe(code);
          expect(ex.summary, `${p} ${code}`).toBeTruthy();
        }
      }
    }
    expect([...seen].sort()).toEqual(Object.keys(PUBLIC_ERRORS).sort());
  });

  it("documents the contract's headers on the responses that carry them", () => {
    const headerNames = RESPONSE_HEADERS.map((h) => h.name);
    for (const h of RESPONSE_HEADERS) expect(doc.components.headers[h.id], h.name).toBeDefined();
    for (const { path: p, op } of ops) {
      for (const [status, res] of Object.entries(op.responses)) {
        const names = Object.keys(res.headers ?? {});
        expect(names, `${p} ${status}`).toContain("X-Request-Id");
        for (const n of names) expect(headerNames).toContain(n);
        if (status === "429") expect(names).toContain("Retry-After");
        if (status === "405") expect(names).toContain("Allow");
        if (op["x-scope"] !== null && status !== "405") expect(names, `${p} ${status}`).toEqual(expect.arrayContaining(["X-RateLimit-Limit", "X-Quota-Remaining"]));
      }
    }
  });

  it("resolves every $ref", () => {
    const json = JSON.stringify(doc);
    for (const m of json.matchAll(/"\$ref":"#\/([^"]+)"/g)) {
      const target = m[1]!.split("/").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      expect(target, m[1]).toBeDefined();
    }
  });

  it("every example validates against the schema it illustrates", () => {
    let checked = 0;
    for (const { path: p, method, op } of ops) {
      const media = [
        ...Object.values(op.requestBody?.content ?? {}),
        ...Object.values(op.responses).flatMap((r) => Object.values(r.content ?? {})),
      ];
      for (const m of media) {
        const validate = validatorFor(doc, m.schema);
        for (const [name, ex] of Object.entries(m.examples ?? {})) {
          const result = validate.safeParse(ex.value);
          expect(result.success, `${method} ${p} example ${name}: ${result.error?.message}`).toBe(true);
          checked++;
        }
      }
      for (const param of op.parameters ?? []) {
        expect(validatorFor(doc, param.schema).safeParse(param.example).success, `${p} ${param.name}`).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(20);
    // And the schemas do refuse: a wrong error code, an RFC verdict with an unknown type.
    expect(validatorFor(doc, { $ref: "#/components/schemas/Error" }).safeParse({ error: { code: "nope", message: "", request_id: "" } }).success).toBe(false);
    expect(validatorFor(doc, { $ref: "#/components/schemas/RfcVerdict" }).safeParse({ ...VALIDATE_RESPONSE_EXAMPLE, type: "persona" }).success).toBe(false);
  });
});

describe("the OpenAPI webhooks section", () => {
  const types = Object.keys(webhookEventSchemas) as WebhookEventType[];

  it("lists every event schema, and nothing else", () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual([...types].sort());
    expect(doc.tags.map((t) => t.name)).toContain("Webhooks");
  });

  it("each event's body is its envelope {type, timestamp, data} as a named component, with the data's fields", () => {
    for (const type of types) {
      const op = doc.webhooks[type]!.post;
      const name = webhookComponentName(type);
      expect(op.requestBody.content["application/json"].schema, type).toEqual({ $ref: `#/components/schemas/${name}` });
      const schema = doc.components.schemas[name] as { required: string[]; properties: Record<string, { const?: string; properties?: Record<string, unknown> }> };
      expect(schema.required, type).toEqual(["type", "timestamp", "data"]);
      expect(schema.properties.type?.const, type).toBe(type);
      const dataFields = Object.keys(webhookEventSchemas[type].shape);
      expect(Object.keys(schema.properties.data?.properties ?? {}), type).toEqual(dataFields);
    }
  });

  it("every event has the three Standard Webhooks headers and the response semantics", () => {
    for (const type of types) {
      const op = doc.webhooks[type]!.post;
      expect(op.parameters.map((p) => [p.name, p.in, p.required]), type).toEqual([
        ["webhook-id", "header", true],
        ["webhook-timestamp", "header", true],
        ["webhook-signature", "header", true],
      ]);
      expect(Object.keys(op.responses).sort(), type).toEqual(["2XX", "410", "429", "503", "default"]);
      expect(op.responses["410"]!.description).toMatch(/disabled/);
      expect(op.responses["429"]!.headers).toHaveProperty("Retry-After");
      expect(op.responses.default!.description).toMatch(/5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h/);
      expect(op.responses.default!.description).toMatch(/15 s/);
    }
    const ids = [...ops.map((o) => o.op.operationId), ...Object.values(doc.webhooks).map((w) => w.post.operationId)];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("each event's example validates against the document's schema and the event's zod schema, and the header examples match their patterns", () => {
    for (const type of types) {
      const op = doc.webhooks[type]!.post;
      const media = op.requestBody.content["application/json"];
      const examples = Object.values(media.examples);
      expect(examples, type).toHaveLength(1);
      for (const ex of examples) {
        const result = validatorFor(doc, media.schema).safeParse(ex.value);
        expect(result.success, `${type}: ${result.error?.message}`).toBe(true);
        expect(webhookEventSchemas[type].safeParse((ex.value as { data: unknown }).data).success, type).toBe(true);
      }
      for (const p of op.parameters) expect(validatorFor(doc, p.schema).safeParse(p.example).success, `${type} ${p.name}`).toBe(true);
    }
    // The schemas refuse another event's body.
    const audit = doc.webhooks["audit.completed"]!.post.requestBody.content["application/json"];
    const keyExample = Object.values(doc.webhooks["key.revoked"]!.post.requestBody.content["application/json"].examples)[0]!.value;
    expect(validatorFor(doc, audit.schema).safeParse(keyExample).success).toBe(false);
  });

  it("the header patterns accept what the signer really sends, with one secret and during a rotation's overlap", () => {
    const params = doc.webhooks["webhook.test"]!.post.parameters;
    const pattern = (name: string) => validatorFor(doc, params.find((p) => p.name === name)!.schema);
    const id = "msg_" + "0123456789abcdef".repeat(2);
    for (const secrets of [[generateWebhookSecret()], [generateWebhookSecret(), generateWebhookSecret()]]) {
      const h = signatureHeaders(id, new Date(), '{"type":"webhook.test"}', secrets);
      expect(pattern("webhook-id").safeParse(h["webhook-id"]).success).toBe(true);
      expect(pattern("webhook-timestamp").safeParse(h["webhook-timestamp"]).success).toBe(true);
      expect(pattern("webhook-signature").safeParse(h["webhook-signature"]).success, h["webhook-signature"]).toBe(true);
    }
    expect(pattern("webhook-signature").safeParse("v2,abc").success).toBe(false);
  });
});

describe("the examples are what the API accepts and answers", () => {
  it("the audit input example parses with the real schema, and keeps its values", () => {
    const parsed = auditInputSchema.parse(AUDIT_INPUT_EXAMPLE);
    expect(parsed.business.id).toBe("place-123");
    expect(parsed.competitors).toHaveLength(1);
  });

  it("the audit query example parses with the real query schema", () => {
    expect(auditQuerySchema.parse({ ...AUDIT_QUERY_EXAMPLE })).toEqual(AUDIT_QUERY_EXAMPLE);
  });

  it("the audit examples in the document are the example input's real results", () => {
    const post = doc.paths["/api/public/audit"]?.post;
    expect(post?.requestBody?.content["application/json"]?.examples?.cafe?.value).toEqual(AUDIT_INPUT_EXAMPLE);
    const status = doc.paths["/api/public/audit/{audit_id}"]?.get?.responses["200"]?.content?.["application/json"]?.examples?.completed?.value as {
      result: { business_id: string; top_actions: unknown[]; meta: { lang: string; currency: string } };
    };
    expect(status.result.business_id).toBe("place-123");
    expect(status.result.top_actions).toHaveLength(3);
    expect(status.result.meta).toMatchObject({ lang: "es", currency: "EUR" });
    const latest = doc.paths["/api/public/audit"]?.get?.responses["200"]?.content?.["application/json"]?.examples?.rerendered?.value as {
      meta: { lang: string; currency: string };
    };
    expect(latest.meta).toMatchObject({ lang: AUDIT_QUERY_EXAMPLE.lang, currency: AUDIT_QUERY_EXAMPLE.currency });
  });

  it("the validate examples are validateRfc's own verdicts", () => {
    expect(validateRfc(VALIDATE_REQUEST_EXAMPLE.rfc)).toEqual(VALIDATE_RESPONSE_EXAMPLE);
    expect(validateRfc(VALIDATE_INVALID_EXAMPLE.rfc)).toEqual(VALIDATE_INVALID_EXAMPLE);
  });

  it("the ping example has exactly the shape pingBody builds", () => {
    const e = PING_EXAMPLE;
    const call: VerifiedCall = {
      outcome: "ok",
      call_id: 1,
      key_id: e.key.id,
      key_name: e.key.name,
      key_prefix: e.key.prefix,
      key_last4: e.key.last4,
      key_scopes: e.key.scopes,
      key_expires_at: null,
      team_id: e.team.id,
      team_name: e.team.name,
      team_plan: e.team.plan,
      rate_limit: e.rate_limit.limit,
      rate_remaining: e.rate_limit.remaining,
      rate_reset_at: new Date(e.rate_limit.reset_at),
      quota_limit: e.quota.limit,
      quota_used: e.quota.used,
      quota_resets_at: new Date(e.quota.resets_at),
      overage: false,
    };
    expect(pingBody(call)).toEqual(PING_EXAMPLE);
  });
});

describe("GET /api/public/openapi.json", () => {
  it("serves the document without a key, cacheable for five minutes; other methods are 405", async () => {
    const route = await import("@/app/api/public/openapi.json/route");
    const res = await route.GET(new Request("http://localhost:3000/api/public/openapi.json"));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await res.json()) as OpenApiDocument;
    expect(body.openapi).toBe("3.1.0");
    expect(body.servers[0]?.url).toBe(process.env.APP_URL ?? "http://localhost:3000");
    const post = await route.POST();
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
    expect(((await post.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
  });
});
