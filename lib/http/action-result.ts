import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/errors";

export type ActionResult<T = undefined> =
  | { ok: true; data: T }
  | { ok: false; message: string; fieldErrors?: Record<string, string> };

export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    out[key] ??= issue.message;
  }
  return out;
}

/**
 * Server actions answer with data or a message a person can act on. Unknown failures are logged
 * by name only and shown as a generic message, so nothing internal (or secret) reaches a page.
 */
export async function runAction<T>(fn: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (err) {
    if (err instanceof z.ZodError) return { ok: false, message: "Check the highlighted fields.", fieldErrors: fieldErrorsOf(err) };
    if (err instanceof AppError) return { ok: false, message: err.message };
    // Next's redirect() and notFound() are thrown and must propagate.
    if (isNextControlFlow(err)) throw err;
    console.error("action failed:", (err as Error)?.name ?? "unknown error");
    return { ok: false, message: "Something went wrong. Try again." };
  }
}

function isNextControlFlow(err: unknown): boolean {
  const digest = (err as { digest?: unknown })?.digest;
  return typeof digest === "string" && (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK"));
}
