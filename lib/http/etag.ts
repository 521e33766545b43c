import "server-only";
import { createHash } from "node:crypto";

/**
 * A JSON answer with a validator, for the dashboard's polled reads (usage summary, call history).
 * The ETag is a weak validator over the serialized body (SHA-256, base64url, 22 chars): two
 * answers with the same bytes share it. When the request's If-None-Match names it, the answer is
 * `304 Not Modified` with no body, so a page polling every few seconds downloads nothing while
 * nothing changed (the client keeps the last body: lib/client/api-client.ts).
 * `Cache-Control: no-store` stays (session JSON is never cached, e2e/security.spec.ts): the
 * client keeps the body itself and sends If-None-Match by hand.
 */
export function jsonWithEtag<T>(req: Request, body: T, opts: { headers?: Record<string, string>; validatorOf?: (body: T) => unknown } = {}): Response {
  const text = JSON.stringify(body);
  // `validatorOf`: the part of the body that says whether it changed, when the body also carries
  // a clock reading (the usage summary's as_of) that would otherwise change the tag every time.
  const basis = opts.validatorOf ? JSON.stringify(opts.validatorOf(body)) : text;
  const etag = `W/"${createHash("sha256").update(basis).digest("base64url").slice(0, 22)}"`;
  const common = { etag, "cache-control": "no-store", ...opts.headers };
  if (ifNoneMatchHits(req.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers: common });
  return new Response(text, { status: 200, headers: { "content-type": "application/json; charset=utf-8", ...common } });
}

/** RFC 9110 §13.1.2: weak comparison; `*` or any listed tag matches. */
export function ifNoneMatchHits(header: string | null, etag: string): boolean {
  if (!header) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, "");
  const want = bare(etag);
  return header.split(",").some((t) => t.trim() === "*" || bare(t) === want);
}
