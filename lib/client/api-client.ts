/**
 * Tiny fetch helper for the dashboard's JSON routes. Failures throw an `ApiError` carrying the
 * envelope's code, message and per-field details, so callers can show the server's own words.
 * Bodies are sent as JSON, never in the URL: secrets and settings stay out of logs and history.
 */

export interface ApiErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: ApiErrorDetail[];
  readonly requestId: string | null;

  constructor(code: string, message: string, status: number, details: ApiErrorDetail[] = [], requestId: string | null = null) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
    this.details = details;
    this.requestId = requestId;
  }
}

interface Envelope {
  error?: { code?: unknown; message?: unknown; request_id?: unknown; details?: unknown };
}

function detailsOf(raw: unknown): ApiErrorDetail[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((d: unknown) => {
    const item = d as { path?: unknown; message?: unknown } | null;
    return typeof item?.path === "string" && typeof item.message === "string" ? [{ path: item.path, message: item.message }] : [];
  });
}

/**
 * The last body and ETag of each GET that had one, by URL, so a repeated read (a polled page)
 * sends If-None-Match and a 304 reuses the body it already has (same object: React Query's
 * structural sharing then re-renders nothing). Bounded: the oldest URL goes first.
 */
const validated = new Map<string, { etag: string; data: unknown }>();
const VALIDATED_MAX = 64;

/** Forgets every remembered ETag (tests; sign-out reloads the page anyway). */
export function clearValidatedCache(): void {
  validated.clear();
}

export async function apiFetch<T>(path: string, init: { method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE"; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const method = init.method ?? "GET";
  const known = method === "GET" ? validated.get(path) : undefined;
  const headers: Record<string, string> = init.body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" };
  if (known) headers["if-none-match"] = known.etag;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: "same-origin",
      cache: "no-store",
      signal: init.signal,
    });
  } catch (err) {
    if ((err as Error)?.name === "AbortError") throw err;
    throw new ApiError("network_error", "Could not reach the server. Check your connection and try again.", 0);
  }

  if (res.status === 304 && known) return known.data as T;
  const data: unknown = await res.json().catch(() => null);
  if (method === "GET") {
    const etag = res.ok ? res.headers.get("etag") : null;
    validated.delete(path);
    if (etag) {
      validated.set(path, { etag, data });
      if (validated.size > VALIDATED_MAX) validated.delete(validated.keys().next().value!);
    }
  }
  if (!res.ok) {
    const error = (data as Envelope | null)?.error;
    throw new ApiError(
      typeof error?.code === "string" ? error.code : "http_error",
      typeof error?.message === "string" ? error.message : `The server answered ${res.status}.`,
      res.status,
      detailsOf(error?.details),
      typeof error?.request_id === "string" ? error.request_id : null,
    );
  }
  return data as T;
}

/** The message to show for any thrown value. */
export function errorMessage(err: unknown): string {
  return err instanceof Error && err.message ? err.message : "Something went wrong.";
}
