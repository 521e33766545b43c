import "server-only";
import { currencySchema, langSchema, type AuditInput, type Currency, type Lang } from "@/lib/presence-audit/audit-input.schema";
import { renderAudit, type AuditResult } from "@/lib/presence-audit/score";
import { storedAuditSchema } from "@/lib/presence-audit/stored";
import type { Database } from "@/lib/db/types";
import { enqueue } from "@/lib/jobs/queue";
import { notify } from "@/lib/jobs/worker";
import { AppError } from "@/lib/errors";
import { AUDIT_QUEUE, auditJobKey, isUuid } from "./run-audit";

export type AuditStatus = "queued" | "running" | "completed" | "failed";

export interface QueuedAudit {
  audit_id: string;
  status: "queued";
  result_url: string;
}

export interface AuditView {
  audit_id: string;
  status: AuditStatus;
  result?: AuditResult;
  error?: string;
}

export function auditUrl(auditId: string): string {
  return `/api/public/audit/${auditId}`;
}

/**
 * Records the business and a queued audit and enqueues its job, all in one transaction: there
 * is never an audit without its job, nor a job for an audit that was rolled back. Then wakes
 * this process's worker so the audit starts at once instead of at the next poll.
 */
export async function queueAudit(
  db: Database,
  args: { teamId: string; keyId: string | null; input: AuditInput },
): Promise<QueuedAudit> {
  const { teamId, keyId, input } = args;
  const b = input.business;
  const inputJson = JSON.stringify(input);
  const auditId = await db.transaction(async (tx) => {
    await tx.query(
      `insert into public.businesses (team_id, business_id, name, category, latest_input)
       values ($1, $2, $3, $4, $5::jsonb)
       on conflict (team_id, business_id) do update
         set name = excluded.name, category = excluded.category, latest_input = excluded.latest_input, updated_at = now()`,
      [teamId, b.id, b.name, b.category, inputJson],
    );
    const { rows } = await tx.query<{ id: string }>(
      `insert into public.audits (team_id, key_id, business_id, input) values ($1, $2, $3, $4::jsonb) returning id`,
      [teamId, keyId, b.id, inputJson],
    );
    const id = rows[0]?.id;
    if (!id) throw new Error("The audit row was not created.");
    await enqueue(tx, AUDIT_QUEUE, { audit_id: id }, { dedupeKey: auditJobKey(id) });
    return id;
  });
  notify();
  return { audit_id: auditId, status: "queued", result_url: auditUrl(auditId) };
}

function notFoundAudit(): AppError {
  return new AppError("not_found", "No audit with this id exists for your team.");
}

function parseStored(result: unknown) {
  const parsed = storedAuditSchema.safeParse(result);
  // A stored result the model cannot read is our fault, never the caller's: a plain Error
  // becomes internal_error with no internals in the message.
  if (!parsed.success) throw new Error("A stored audit result does not match the current model.");
  return parsed.data;
}

/** One audit of the team, its result rendered in the language and currency it was asked in. */
export async function getAudit(db: Database, teamId: string, auditId: string): Promise<AuditView> {
  if (!isUuid(auditId)) throw notFoundAudit();
  const { rows } = await db.query<{ id: string; status: AuditStatus; lang: string | null; currency: string | null; result: unknown; error: string | null }>(
    `select id, status, input ->> 'lang' as lang, input ->> 'currency' as currency, result, error
       from public.audits where id = $1 and team_id = $2`,
    [auditId, teamId],
  );
  const row = rows[0];
  if (!row) throw notFoundAudit();
  const view: AuditView = { audit_id: row.id, status: row.status };
  if (row.status === "completed") {
    const lang = langSchema.safeParse(row.lang);
    const currency = currencySchema.safeParse(row.currency);
    const stored = parseStored(row.result);
    view.result = renderAudit(stored, lang.success ? lang.data : "es", currency.success ? currency.data : stored.currency);
  } else if (row.status === "failed") {
    view.error = row.error ?? "The audit failed.";
  }
  return view;
}

/**
 * The team's latest completed audit of a business, re-rendered in `lang` and `currency`
 * without scoring again. 404 when the team never audited it, or no audit of it has completed.
 */
export async function latestAuditFor(db: Database, teamId: string, businessId: string, lang: Lang, currency: Currency): Promise<AuditResult> {
  const { rows } = await db.query<{ result: unknown; pending_id: string | null }>(
    `select (select a.result from public.audits a
              where a.team_id = b.team_id and a.business_id = b.business_id and a.status = 'completed'
              order by a.completed_at desc, a.created_at desc limit 1) as result,
            (select a.id from public.audits a
              where a.team_id = b.team_id and a.business_id = b.business_id and a.status in ('queued', 'running')
              order by a.created_at desc limit 1) as pending_id
       from public.businesses b
      where b.team_id = $1 and b.business_id = $2`,
    [teamId, businessId],
  );
  const row = rows[0];
  if (!row) throw new AppError("not_found", `Your team has never audited the business "${businessId}".`);
  if (row.result === null || row.result === undefined) {
    throw new AppError(
      "not_found",
      row.pending_id
        ? `No audit of the business "${businessId}" has completed yet. Follow ${auditUrl(row.pending_id)} for the one in progress.`
        : `No audit of the business "${businessId}" has completed. Request a new one with POST /api/public/audit.`,
    );
  }
  return renderAudit(parseStored(row.result), lang, currency);
}
