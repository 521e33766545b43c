// The background half of an audit: the `audit.run` job. No "server-only" or Next imports,
// because lib/jobs/handlers.ts (and so scripts/worker.ts, run by tsx) loads this file.
import { z } from "zod";
import { auditInputSchema } from "@/lib/presence-audit/audit-input.schema";
import { buildStoredAudit } from "@/lib/presence-audit/score";
import { storedAuditSchema, type StoredAudit } from "@/lib/presence-audit/stored";
import type { Database, Queryable } from "@/lib/db/types";
import type { JobContext } from "@/lib/jobs/worker";

export const AUDIT_QUEUE = "audit.run";

/** The dedupe key of an audit's job: prefixed, because dedupe keys are unique across queues. */
export function auditJobKey(auditId: string): string {
  return `${AUDIT_QUEUE}:${auditId}`;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

const MAX_ERROR_CHARS = 1000;

function readableIssues(error: z.ZodError): string {
  const text = error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(input)"}: ${i.message}`)
    .join("; ");
  return error.issues.length > 5 ? `${text}; and ${error.issues.length - 5} more` : text;
}

function clip(message: string): string {
  const chars = Array.from(message);
  return chars.length <= MAX_ERROR_CHARS ? message : `${chars.slice(0, MAX_ERROR_CHARS - 1).join("")}…`;
}

/** Fails an audit that has not finished; a finished one is left as it is. */
export async function failAudit(db: Queryable, auditId: string, error: string): Promise<boolean> {
  const { rows } = await db.query(
    `update public.audits set status = 'failed', error = $2, result = null, completed_at = now()
      where id = $1 and status in ('queued', 'running')
      returning id`,
    [auditId, clip(error)],
  );
  return rows.length > 0;
}

export type RunAuditOutcome =
  /** This run stored the result. */
  | "completed"
  /** The stored input could not be scored: the audit is failed with a readable error. */
  | "failed"
  /** Nothing to do: unknown audit (its team was deleted), or already finished by another run. */
  | "skipped";

/**
 * Scores one audit. Safe to run any number of times, concurrently too: only a queued or
 * running audit is started, and only the run that still finds it running stores its result,
 * so a job redelivered after a crash, or recovered while the first run was alive, changes an
 * audit once. Database errors are thrown (the job retries); bad input is not retried.
 */
export async function runAudit(db: Database, auditId: string): Promise<RunAuditOutcome> {
  if (!isUuid(auditId)) return "skipped";
  const started = await db.query<{ input: unknown }>(
    `update public.audits set status = 'running', started_at = coalesce(started_at, now())
      where id = $1 and status in ('queued', 'running')
      returning input`,
    [auditId],
  );
  const row = started.rows[0];
  if (!row) return "skipped";

  const input = auditInputSchema.safeParse(row.input);
  if (!input.success) {
    await failAudit(db, auditId, `The stored audit input is not valid: ${readableIssues(input.error)}`);
    return "failed";
  }

  let stored: StoredAudit;
  try {
    stored = storedAuditSchema.parse(buildStoredAudit(input.data, { auditId, generatedAt: new Date() }));
  } catch {
    // The model is deterministic: a retry would fail the same way.
    await failAudit(db, auditId, "The audit could not be computed from this input.");
    return "failed";
  }

  // Where `audit.completed` webhooks will be enqueued, in the same transaction, once outgoing webhooks exist.
  const done = await db.query(
    `update public.audits set status = 'completed', result = $2::jsonb, error = null, completed_at = now()
      where id = $1 and status = 'running'
      returning id`,
    [auditId, JSON.stringify(stored)],
  );
  return done.rows.length > 0 ? "completed" : "skipped";
}

const payloadSchema = z.object({ audit_id: z.string().regex(UUID_RE) });

/** The `audit.run` handler: its payload is `{audit_id}`. */
export async function runAuditJob(payload: unknown, ctx: JobContext): Promise<void> {
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) throw new Error("The audit.run payload has no valid audit_id.");
  const auditId = parsed.data.audit_id;
  try {
    await runAudit(ctx.db, auditId);
  } catch (err) {
    // On the last attempt the job fails for good: say so on the audit, or it would stay
    // "running" forever for the caller polling it.
    if (ctx.job.attempts >= ctx.job.maxAttempts) {
      await failAudit(ctx.db, auditId, "The audit could not be completed. Please request it again.").catch(() => {});
    }
    throw err;
  }
}
