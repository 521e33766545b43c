import "server-only";
import { z } from "zod";
import { AppError, invalidInput } from "@/lib/errors";
import { isJsonContentType } from "./media-type";
import { readBodyCapped } from "./read-body";

/** Both the dashboard's and the public API's JSON bodies are capped at 64 KiB. */
export const MAX_JSON_BYTES = 64 * 1024;

/**
 * The one body reader: JSON only (415 otherwise), at most 64 KiB (413, refused while reading),
 * valid JSON (400 with a "(body)" detail), then the schema (400 with per-field details).
 * `emptyAsObject` lets an empty body stand for `{}` (dashboard POSTs without settings).
 */
export async function readJsonBody<T>(req: Request, schema: z.ZodType<T>, opts: { emptyAsObject?: boolean } = {}): Promise<T> {
  if (!isJsonContentType(req.headers.get("content-type"))) {
    throw new AppError("unsupported_media_type", "Send the body as application/json.");
  }
  const text = await readBodyCapped(req, MAX_JSON_BYTES);
  if (text === null) throw new AppError("payload_too_large", "The body is larger than 64 KiB.");
  let data: unknown;
  try {
    data = opts.emptyAsObject && text.length === 0 ? {} : JSON.parse(text);
  } catch {
    throw new AppError("invalid_request", "The body is not valid JSON.", [{ path: "(body)", message: "Invalid JSON." }]);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw invalidInput(parsed.error, "The body is not valid.");
  return parsed.data;
}

/** The body of an action that takes no settings (disable, enable, revoke): exactly `{}`. */
export const emptyBodySchema = z.object({}).strict();

/** The one query reader: the query string as a flat object (last value wins), then the schema (400). */
export function readQuery<T>(from: Request | URL, schema: z.ZodType<T>): T {
  const url = from instanceof URL ? from : new URL(from.url);
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw invalidInput(parsed.error, "The query string is not valid.");
  return parsed.data;
}
