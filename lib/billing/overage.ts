// No "server-only": the worker script drains the outbox with it.
import type Stripe from "stripe";
import type { Database } from "@/lib/db/types";
import { METER_EVENT_NAME } from "./catalog";
import { logBillingEvent } from "./sync";

/** The meter event identifier for a team's minute: `<team uuid>:<YYYY-MM-DDTHH:MMZ>`. */
export function overageIdentifier(teamId: string, minute: Date): string {
  return `${teamId}:${minute.toISOString().slice(0, 16)}Z`;
}

/**
 * Moves new overage (team_usage.overage minus what is already queued) into the outbox row of
 * the current minute, for every team with a Stripe customer. Never touches the hot path: it
 * reads the counters verify_api_call keeps. A minute's row is only added to until its first
 * report attempt; later overage goes to a later minute. Invariant kept per team and month:
 * sum(outbox.value) = billing_overage_marks.counted <= team_usage.overage.
 * Returns the number of overage calls queued.
 */
export async function collectOverage(db: Database, opts: { now?: Date } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const due = await db.query<{ team_id: string; month: string }>(
    `select u.team_id, u.month::text as month from public.team_usage u
       join public.team_billing b on b.team_id = u.team_id
       left join public.billing_overage_marks m on m.team_id = u.team_id and m.month = u.month
      where u.overage > coalesce(m.counted, 0)`,
  );
  let queued = 0;
  for (const { team_id, month } of due.rows) {
    queued += await db.transaction(async (tx) => {
      await tx.query("insert into public.billing_overage_marks (team_id, month) values ($1, $2::date) on conflict do nothing", [team_id, month]);
      const m = await tx.query<{ counted: number }>("select counted from public.billing_overage_marks where team_id = $1 and month = $2::date for update", [team_id, month]);
      const u = await tx.query<{ overage: number; customer: string }>(
        `select u.overage, b.stripe_customer_id as customer from public.team_usage u join public.team_billing b on b.team_id = u.team_id
          where u.team_id = $1 and u.month = $2::date`,
        [team_id, month],
      );
      const delta = (u.rows[0]?.overage ?? 0) - (m.rows[0]?.counted ?? 0);
      if (delta <= 0 || !u.rows[0]) return 0;
      // Adds to the minute's row only while no report of it was attempted (the identifier's value
      // is then fixed); otherwise this overage waits for the next minute.
      const r = await tx.query<{ id: number }>(
        `insert into public.billing_overage_outbox (team_id, minute, identifier, stripe_customer_id, value)
         values ($1, $2, $3, $4, $5)
         on conflict (team_id, minute) do update set value = billing_overage_outbox.value + excluded.value
          where billing_overage_outbox.attempts = 0 and billing_overage_outbox.status = 'pending'
         returning id`,
        [team_id, minute, overageIdentifier(team_id, minute), u.rows[0].customer, delta],
      );
      if (r.rows.length === 0) return 0;
      await tx.query("update public.billing_overage_marks set counted = counted + $3 where team_id = $1 and month = $2::date", [team_id, month, delta]);
      return delta;
    });
  }
  return queued;
}

export interface DrainOptions {
  now?: Date;
  batch?: number;
  maxAttempts?: number;
  /** Delay after failed attempt n (1-based). Default: 30 s doubling, at most 1 h. */
  backoffMs?: (attempt: number) => number;
  /** A claimed row not settled within this long is claimed again (a crashed drainer). */
  leaseMs?: number;
}

export interface DrainResult {
  reported: number;
  retried: number;
  failed: number;
}

const defaultBackoff = (attempt: number) => Math.min(30_000 * 2 ** (attempt - 1), 3_600_000);

interface OutboxRow {
  id: number;
  team_id: string;
  minute: Date;
  identifier: string;
  stripe_customer_id: string;
  value: number;
  attempts: number;
}

function errorInfo(err: unknown): { retryable: boolean; duplicate: boolean; message: string; status: number | null } {
  const e = err as { type?: string; statusCode?: number; code?: string; message?: string };
  const status = typeof e.statusCode === "number" ? e.statusCode : null;
  const message = String(e.message ?? err).slice(0, 300);
  const duplicate = e.code === "resource_already_exists";
  // Connection errors have no status; 409 (idempotency conflict), 429 and 5xx are worth retrying.
  const retryable = status === null || status === 409 || status === 429 || status >= 500;
  return { retryable, duplicate, message, status };
}

/**
 * Reports due outbox rows of closed minutes to Stripe's meter events, each with its fixed
 * identifier and the same idempotency key on every attempt, so a retry after a lost answer
 * bills once. Every success, retry and failure is a billing_events row.
 */
export async function drainOverageOutbox(db: Database, stripe: Stripe, opts: DrainOptions = {}): Promise<DrainResult> {
  const now = opts.now ?? new Date();
  const currentMinute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const maxAttempts = opts.maxAttempts ?? 12;
  const backoff = opts.backoffMs ?? defaultBackoff;
  const claimed = await db.query<OutboxRow>(
    `update public.billing_overage_outbox o set attempts = o.attempts + 1, next_attempt_at = $2::timestamptz + make_interval(secs => $4::double precision / 1000)
      where o.id in (select id from public.billing_overage_outbox
                      where status = 'pending' and next_attempt_at <= $2 and minute < $1
                      order by id limit $3 for update skip locked)
      returning o.id, o.team_id, o.minute, o.identifier, o.stripe_customer_id, o.value, o.attempts`,
    [currentMinute, now, opts.batch ?? 50, opts.leaseMs ?? 120_000],
  );
  const result: DrainResult = { reported: 0, retried: 0, failed: 0 };
  for (const row of claimed.rows) {
    const base = { teamId: row.team_id, outboxId: row.id, identifier: row.identifier, value: row.value, attempt: row.attempts };
    try {
      await stripe.billing.meterEvents.create(
        {
          event_name: METER_EVENT_NAME,
          identifier: row.identifier,
          timestamp: Math.floor(new Date(row.minute).getTime() / 1000),
          payload: { stripe_customer_id: row.stripe_customer_id, value: String(row.value) },
        },
        { idempotencyKey: `llavero-meter-${row.identifier}` },
      );
      await settle(db, row.id, "reported", null, null, { ...base, kind: "meter_event.reported" });
      result.reported++;
    } catch (err) {
      const info = errorInfo(err);
      if (info.duplicate) {
        // Stripe already holds this identifier: an earlier attempt was accepted.
        await settle(db, row.id, "reported", null, null, { ...base, kind: "meter_event.reported", detail: { already_accepted: true } });
        result.reported++;
      } else if (info.retryable && row.attempts < maxAttempts) {
        const retryAt = new Date(now.getTime() + backoff(row.attempts));
        await settle(db, row.id, "pending", retryAt, info.message, { ...base, kind: "meter_event.retry_scheduled", detail: { status: info.status, error: info.message, retry_at: retryAt.toISOString() } });
        result.retried++;
      } else {
        await settle(db, row.id, "failed", null, info.message, { ...base, kind: "meter_event.failed", detail: { status: info.status, error: info.message } });
        result.failed++;
      }
    }
  }
  return result;
}

async function settle(
  db: Database,
  id: number,
  status: "pending" | "reported" | "failed",
  retryAt: Date | null,
  error: string | null,
  event: Parameters<typeof logBillingEvent>[1],
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `update public.billing_overage_outbox set status = $2, next_attempt_at = coalesce($3, next_attempt_at), last_error = $4,
              reported_at = case when $2 = 'reported' then now() else reported_at end
        where id = $1`,
      [id, status, retryAt, error],
    );
    await logBillingEvent(tx, event);
  });
}
