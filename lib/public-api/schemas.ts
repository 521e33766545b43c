import { z } from "zod";
import { PUBLIC_ERROR_CODES } from "@/lib/errors";
import { keyScopeSchema } from "@/lib/keys/key-input.schema";
import { PLAN_IDS } from "@/lib/plans";

/**
 * The OpenAPI document's named schemas (components.schemas). An endpoint's zod schemas become
 * `$ref`s to these wherever they occur; everything else is inlined. Request schemas are named in
 * the input registry (their JSON Schema describes what a client sends, before defaults and
 * transforms), response schemas in the output registry; an id may name one of each (Lang).
 */
type ComponentMeta = { id: string; description?: string };
export const inputComponents = z.registry<ComponentMeta>();
export const outputComponents = z.registry<ComponentMeta>();

/** Names `schema` in the document and returns it unchanged. */
export function component<S extends z.ZodType>(id: string, schema: S, opts: { description?: string; input?: boolean } = {}): S {
  (opts.input ? inputComponents : outputComponents).add(schema, { id, ...(opts.description ? { description: opts.description } : {}) });
  return schema;
}

const COMPONENT_REF = "#/components/schemas/";
type JsonSchema = Record<string, unknown>;

function cleaned(json: unknown): JsonSchema {
  const text = JSON.stringify(json).replaceAll('"#/$defs/', `"${COMPONENT_REF}`);
  const { $schema: _s, $defs: _d, $id: _i, ...rest } = JSON.parse(text) as JsonSchema;
  return rest;
}

/**
 * The component registries supply ids; field-level `.meta({ description, format })` lives in
 * zod's global registry, which a conversion with its own registry does not read: copy it over.
 */
const withGlobalMeta = {
  override: (ctx: { zodSchema: unknown; jsonSchema: JsonSchema }) => {
    const meta = z.globalRegistry.get(ctx.zodSchema as z.ZodType);
    if (!meta) return;
    for (const [k, v] of Object.entries(meta)) if (k !== "id" && ctx.jsonSchema[k] === undefined) ctx.jsonSchema[k] = v;
  },
};

/** One schema of an endpoint as JSON Schema, components as `$ref`s. */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const registry = io === "input" ? inputComponents : outputComponents;
  const id = registry.get(schema)?.id;
  if (id) return { $ref: COMPONENT_REF + id };
  return cleaned(z.toJSONSchema(schema, { io, metadata: registry, unrepresentable: "any", target: "draft-2020-12", ...withGlobalMeta }));
}

/** Every named schema as JSON Schema (components.schemas); a response schema wins a shared id. */
export function componentSchemas(): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [registry, io] of [[inputComponents, "input"], [outputComponents, "output"]] as const) {
    const { schemas } = z.toJSONSchema(registry, { io, metadata: registry, unrepresentable: "any", target: "draft-2020-12", ...withGlobalMeta, uri: (id) => COMPONENT_REF + id });
    for (const [id, json] of Object.entries(schemas)) out[id] = cleaned(json);
  }
  return out;
}

export const dateTime = () => z.iso.datetime();

export const scopeComponent = component("Scope", keyScopeSchema);

/** The standard envelope, exactly as lib/http/envelope.ts writes it. */
export const errorComponent = component(
  "Error",
  z
    .object({
      error: z
        .object({
          code: z.enum(PUBLIC_ERROR_CODES),
          message: z.string().meta({ description: "For people; never parse it." }),
          request_id: z.string().meta({ description: "Same as the X-Request-Id header." }),
          details: z
            .array(z.object({ path: z.string(), message: z.string() }))
            .optional()
            .meta({ description: "With invalid_request: the fields that failed." }),
        })
        .strict(),
    })
    .strict(),
);

export const planSchemaOut = z.enum(PLAN_IDS);
