import "server-only";
import { randomUUID } from "node:crypto";

/**
 * The header server.mjs puts on every request, overwriting whatever a client sent, with the id it
 * already stamped on the response as `x-request-id`, so Next's own answers (malformed URLs,
 * unexported methods) carry one too and the app's envelope and logs use the same id.
 */
export const REQUEST_ID_HEADER = "x-llavero-request-id";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * This request's id: server.mjs's when it is a UUID (so a forged header, under `next start`
 * without server.mjs, cannot inject text into logs), else a fresh UUID v4.
 */
export function requestIdOf(req?: Request | null): string {
  const given = req?.headers.get(REQUEST_ID_HEADER);
  return given && UUID.test(given) ? given : randomUUID();
}
