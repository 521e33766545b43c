import type { z } from "zod";
import type { Database, Queryable } from "@/lib/db/types";
import type { ErrorDetail, PublicErrorCode } from "@/lib/errors";
import type { KeyScope } from "@/lib/keys/key-input.schema";
import type { AdmittedCall } from "./verify";

/**
 * One public endpoint, declared once: what the route answers (lib/public-api/route-handlers.ts
 * builds its exports, 405s included) and what the OpenAPI document and the API page say
 * (lib/public-api/openapi.ts reads the same declaration). Add an endpoint by declaring it in
 * lib/public-api/endpoints/, listing it in endpoints/index.ts and adding a two-line route file.
 */

export type PublicMethod = "GET" | "POST" | "PATCH";
/** Every method a public route may declare, in the order `Allow` lists them. */
export const PUBLIC_METHODS = ["GET", "POST", "PATCH"] as const satisfies readonly PublicMethod[];

export interface Example<T = unknown> {
  summary: string;
  value: T;
}

/** Per-endpoint wording for the document's error examples. */
export interface ErrorDocs {
  /** When a code happens here, if not as the contract says in general. */
  when?: Partial<Record<PublicErrorCode, string>>;
  /** The example message, if not the general one. */
  messages?: Partial<Record<PublicErrorCode, string>>;
  /** error.details of the invalid_request example. */
  details?: ErrorDetail[];
}

export interface EndpointDocs {
  operationId: string;
  summary: string;
  description: string;
  /** A tag of the document (lib/public-api/openapi.ts TAGS). */
  tag: string;
  /** Path and query parameters: what each means and an example value. */
  parameters?: Record<string, { description: string; example: unknown }>;
  bodyExamples?: Record<string, Example>;
  response: { description: string; examples: Record<string, Example> };
  errors?: ErrorDocs;
}

/** What every handler gets. Params are Next's decoded path segments, validated. */
export interface OpenContext<P, Q, B> {
  req: Request;
  url: URL;
  requestId: string;
  params: P;
  query: Q;
  body: B;
}

/** What a handler behind a key gets besides: the admitted call and the database. */
export interface KeyedContext<P, Q, B> extends OpenContext<P, Q, B> {
  call: AdmittedCall;
  db: Database;
  /** The caller's address (TRUST_PROXY decides whether forwarded headers count). */
  ip: string;
  /**
   * Set on an `idempotent` endpoint called with an Idempotency-Key: the transaction in which the
   * answer will be stored, so the handler must make its change in it (lib/public-api/idempotency.ts).
   * It runs as the database owner; the handler switches to a user itself.
   */
  tx: Queryable | null;
}

export interface HandlerResult<R> {
  body: R;
  /** A short, secret-free description for the call log (the RFC and its verdict, say). */
  summary?: Record<string, unknown> | null;
  /** Extra response headers (lower-case names). */
  headers?: Record<string, string>;
}

/**
 * Who may call: a key with `scope` (any valid key when `scope` is null), counted toward the
 * team's quota when `metered`; or anyone.
 */
export type EndpointAuth = { kind: "key"; scope: KeyScope | null; metered: boolean; logOnce: boolean } | { kind: "none" };

interface DeclarationBase<P, Q, B, R> {
  method: PublicMethod;
  /** OpenAPI-style template, `{name}` per path parameter: `/api/public/audit/{audit_id}`. */
  path: `/api/public/${string}`;
  params?: z.ZodType<P, Record<string, string>>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** The success answer: status and the schema the body follows (documented, not re-checked). */
  response: { status: 200 | 201 | 202; schema: z.ZodType<R> };
  /** Errors the endpoint's own rules raise (not_found, say); those of auth and input are implied. */
  errors?: readonly PublicErrorCode[];
  /**
   * POST only: honour an `Idempotency-Key` header (Stripe's convention): the first answer for a
   * (key, Idempotency-Key) pair is stored for 24 hours and replayed to retries.
   */
  idempotent?: boolean;
  docs: EndpointDocs;
}

export interface PublicEndpoint<P = unknown, Q = unknown, B = unknown, R = unknown> extends DeclarationBase<P, Q, B, R> {
  auth: EndpointAuth;
  handler: (ctx: KeyedContext<P, Q, B> | OpenContext<P, Q, B>) => Promise<HandlerResult<R>>;
}

type Empty = Record<string, never>;

/** An endpoint behind an API key: verified, rate-limited and logged before the handler runs. */
export function keyedEndpoint<P = Empty, Q = Empty, B = undefined, R = unknown>(
  d: DeclarationBase<P, Q, B, R> & {
    scope: KeyScope | null;
    metered: boolean;
    /**
     * The answer is known once the key is admitted: `response.status`, no summary (ping). The
     * verification then writes the call-log row whole, with that status and no latency, and no
     * completion follows unless the answer differs (a failure). Saves the log row's second write.
     */
    logOnce?: boolean;
    handler: (ctx: KeyedContext<P, Q, B>) => Promise<HandlerResult<R>>;
  },
): PublicEndpoint {
  const { scope, metered, logOnce = false, handler, ...rest } = d;
  return { ...rest, auth: { kind: "key", scope, metered, logOnce }, handler: handler as PublicEndpoint["handler"] } as PublicEndpoint;
}

/** An endpoint anyone may call (no key, not metered, not logged): openapi.json, a JWKS. */
export function openEndpoint<P = Empty, Q = Empty, B = undefined, R = unknown>(
  d: DeclarationBase<P, Q, B, R> & { handler: (ctx: OpenContext<P, Q, B>) => Promise<HandlerResult<R>> },
): PublicEndpoint {
  return { ...d, auth: { kind: "none" }, handler: d.handler as PublicEndpoint["handler"] } as PublicEndpoint;
}
