// `key.expiring`: a periodic sweep, in the in-process worker and in `npm run worker`. No
// "server-only". Several processes may sweep at once: the marker's primary key lets one win.
import type { Database } from "@/lib/db/types";
import { emitWebhookEvent } from "./emit";

export const EXPIRING_WINDOW_DAYS = 7;
const SWEEP_EVERY_MS = 15 * 60_000;

/**
 * Emits `key.expiring` once for every live key (not revoked, not already replaced by a
 * rotation) whose expiry is within the next 7 days. Returns how many events it emitted.
 */
export async function sweepExpiringKeys(db: Database): Promise<number> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; team_id: string; name: string; prefix: string; expires_at: Date }>(
      `with due as (
         select k.id, k.expires_at from public.api_keys k
          where k.expires_at > now() and k.expires_at <= now() + make_interval(days => $1)
            and k.revoked_at is null and k.replaced_by_id is null
       ), marked as (
         insert into public.webhook_key_expiring_marks (key_id, expires_at)
         select id, expires_at from due on conflict do nothing
         returning key_id
       )
       select k.id, k.team_id, k.name, k.prefix, k.expires_at from public.api_keys k join marked m on m.key_id = k.id`,
      [EXPIRING_WINDOW_DAYS],
    );
    for (const k of rows) {
      await emitWebhookEvent(tx, k.team_id, "key.expiring", {
        key_id: k.id,
        key_name: k.name,
        key_prefix: k.prefix,
        expires_at: new Date(k.expires_at).toISOString(),
      });
    }
    return rows.length;
  });
}

/** Sweeps now and every 15 minutes; returns a stop function. Errors are logged, not thrown. */
export function startExpirySweep(db: Database, everyMs = SWEEP_EVERY_MS): () => void {
  const run = () =>
    void sweepExpiringKeys(db).catch((err: unknown) => console.error(`[webhooks] key expiry sweep failed: ${(err as Error)?.message}`));
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
