import "server-only";
import { asUser } from "@/lib/db/as-user";
import { auditEntrySchema, type AuditEntry } from "@/lib/keys/key-view.schema";
import type { Actor } from "@/lib/keys/lifecycle";

export interface ActivityPage {
  entries: AuditEntry[];
  next_cursor: number | null;
}

/** Newest first; the cursor is the last id seen, which stays stable while new entries arrive. */
export async function listActivityLog(actor: Pick<Actor, "userId" | "teamId">, opts: { cursor?: number; limit: number }): Promise<ActivityPage> {
  return asUser(actor.userId, async (tx) => {
    const { rows } = await tx.query(
      `select a.id, a.action, a.key_id, k.name as key_name, a.actor_id, p.email as actor_email, a.actor_key,
              a.subject_id, s.email as subject_email, a.details,
              host(a.ip) as ip, a.created_at
         from public.audit_log a
         left join public.api_keys k on k.id = a.key_id
         left join public.profiles p on p.id = a.actor_id
         left join public.profiles s on s.id = a.subject_id
        where a.team_id = $1 and ($2::bigint is null or a.id < $2)
        order by a.id desc
        limit $3`,
      [actor.teamId, opts.cursor ?? null, opts.limit + 1],
    );
    const entries = rows.slice(0, opts.limit).map((r) => auditEntrySchema.parse(r));
    return { entries, next_cursor: rows.length > opts.limit ? (entries.at(-1)?.id ?? null) : null };
  });
}
