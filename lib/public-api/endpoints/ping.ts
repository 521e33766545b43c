import { z } from "zod";
import { keyedEndpoint } from "../endpoint";
import { PING_EXAMPLE } from "../examples";
import { pingBody } from "../ping";
import { component, dateTime, planSchemaOut, scopeComponent } from "../schemas";

const count = () => z.number().int().min(0);

export const pingResponseSchema = component(
  "Ping",
  z.object({
    ok: z.literal(true),
    key: z.object({
      id: z.uuid(),
      name: z.string(),
      prefix: z.string().meta({ description: "The first 12 characters of the key." }),
      last4: z.string(),
      scopes: z.array(scopeComponent),
      expires_at: dateTime().nullable(),
    }),
    team: z.object({ id: z.uuid(), name: z.string(), plan: planSchemaOut }),
    quota: z
      .object({ limit: count(), used: count(), remaining: count(), resets_at: dateTime() })
      .meta({ description: "The team's monthly quota: used = metered calls this month (admitted calls to metered endpoints), remaining = limit - used, at least 0." }),
    rate_limit: z.object({ limit: count(), remaining: count(), reset_at: dateTime() }).meta({ description: "This key's per-minute window." }),
  }),
);

/** GET /api/public/ping: whether a key works and how much quota is left. */
export const ping = keyedEndpoint({
  method: "GET",
  path: "/api/public/ping",
  scope: "ping",
  metered: false,
  // Always 200 with no summary once admitted: the call-log row is written once, by the verification.
  logOnce: true,
  response: { status: 200, schema: pingResponseSchema },
  handler: async ({ call }) => ({ body: pingBody(call) }),
  docs: {
    operationId: "ping",
    summary: "Check a key",
    description: "Tells a client whether its key works and how much quota is left. Does not count toward the quota.",
    tag: "Keys",
    response: { description: "The key works.", examples: { ok: { summary: "A working key", value: PING_EXAMPLE } } },
  },
});
