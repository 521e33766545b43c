import { z } from "zod";
import { SUBSCRIBABLE_EVENT_TYPES } from "./events.schema";

const eventTypes = z.array(z.enum(SUBSCRIBABLE_EVENT_TYPES as [string, ...string[]])).max(20);

/**
 * The endpoint URL's shape. Whether plain http and private hosts are allowed depends on the
 * operator (WEBHOOKS_ALLOW_PRIVATE) and is checked by checkEndpointUrl, which also resolves names.
 */
const parseUrl = (u: string): URL | null => {
  try {
    return new URL(u);
  } catch {
    return null;
  }
};

export const endpointUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .url("Enter a full URL, such as https://example.com/webhooks.")
  .refine((u) => /^https?:$/.test(parseUrl(u)?.protocol ?? "https:"), "The URL must start with https://.")
  .refine((u) => !parseUrl(u)?.username && !parseUrl(u)?.password, "The URL may not contain a user name or password.");

export const createEndpointSchema = z.object({
  url: endpointUrlSchema,
  description: z.string().trim().max(500).optional().nullable(),
  /** Empty or absent: every event type. */
  event_types: eventTypes.default([]),
  enabled: z.boolean().default(true),
});
export type CreateEndpointInput = z.infer<typeof createEndpointSchema>;

export const updateEndpointSchema = z.object({
  url: endpointUrlSchema.optional(),
  description: z.string().trim().max(500).optional().nullable(),
  event_types: eventTypes.optional(),
});
export type UpdateEndpointInput = z.infer<typeof updateEndpointSchema>;

/** An empty query parameter (a filter left on "All") means the same as an absent one. */
const blankAsAbsent = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

export const deliveryFilterSchema = z.object({
  endpoint_id: blankAsAbsent(z.uuid()),
  status: blankAsAbsent(z.enum(["pending", "retrying", "delivered", "failed"])),
  event_type: blankAsAbsent(z.string().max(100)),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type DeliveryFilter = z.infer<typeof deliveryFilterSchema>;

export const replaySchema = z.object({
  since: z.iso.datetime({ offset: true }),
  endpoint_id: z.uuid().optional(),
});

export const thresholdsSchema = z.object({ percents: z.array(z.number().int().min(1).max(1000)).max(10) });
