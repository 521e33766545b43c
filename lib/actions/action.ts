import "server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireTeamContext } from "@/lib/auth/require";
import { toAppError } from "@/lib/errors";
import type { TeamContext } from "@/lib/teams/teams";

/**
 * The one result shape every server action answers with: data, or a message a person can act on
 * with per-field messages (dotted path → first message) when the input was the problem.
 */
export type ActionResult<T = undefined> =
  | { ok: true; data: T }
  | { ok: false; message: string; fieldErrors?: Record<string, string> };

/** The first message per dotted path ("_" for the whole input), for forms. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    out[key] ??= issue.message;
  }
  return out;
}

/**
 * Runs an action body: AppError, zod failures and the database errors our SQL raises on purpose
 * (as `dashboardRoute` maps them) become a failed result; anything else is logged by name only and
 * shown as a generic message, so nothing internal (or secret) reaches a page. Next's redirect()
 * and notFound() propagate.
 */
export async function runAction<T>(fn: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (err) {
    if (isNextControlFlow(err)) throw err;
    if (err instanceof z.ZodError) return { ok: false, message: "Check the highlighted fields.", fieldErrors: fieldErrorsOf(err) };
    const mapped = toAppError(err);
    if (mapped) return { ok: false, message: mapped.message };
    console.error("action failed:", (err as Error)?.name ?? "unknown error");
    return { ok: false, message: "Something went wrong. Try again." };
  }
}

/**
 * The one helper dashboard actions are written on: signed-in team member (session), input
 * parsed with `schema`, `run`, then revalidate the layout on success.
 *
 * @example export const renameTeamAction = teamAction(teamNameSchema, ({ user, team }, { name }) => renameTeam(user.id, team.id, name));
 */
export function teamAction<S extends z.ZodType, T = undefined>(
  schema: S,
  run: (ctx: TeamContext, input: z.output<S>) => Promise<T>,
  opts: { revalidate?: string | false } = {},
): (input?: unknown) => Promise<ActionResult<T>> {
  return async (input?: unknown) => {
    const result = await runAction(async () => {
      const ctx = await requireTeamContext();
      return run(ctx, schema.parse(input) as z.output<S>);
    });
    if (result.ok && opts.revalidate !== false) revalidatePath(opts.revalidate ?? "/", "layout");
    return result;
  };
}

function isNextControlFlow(err: unknown): boolean {
  const digest = (err as { digest?: unknown })?.digest;
  return typeof digest === "string" && (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK"));
}
