// No "server-only": plan changes are recorded from the worker too (lib/teams/apply-plan.ts).
import type { Queryable } from "@/lib/db/types";
import type { TeamActivityAction } from "./activity-actions";

export interface TeamActivity {
  teamId: string;
  action: TeamActivityAction;
  /** The person the event is about (new member, removed member, re-roled member); they see the entry too. */
  subjectId?: string | null;
  details?: Record<string, unknown>;
  /** The actor's address as the request came in (lib/http/client-ip.ts); null when no person acted (billing webhooks). */
  ip: string | null;
  /**
   * Who acted. Omitted: the signed-in user of an `asUser` transaction (auth.uid(), which the
   * insert policy requires). On the server's own connection pass it, or null for the system.
   */
  actorId?: string | null;
  /** When it happened; omitted: now. Only the demo seed backdates (events that happened in its story's past). */
  at?: Date;
}

/**
 * One team event in the activity log (public.audit_log), inside the caller's transaction. The
 * subject's email is copied into `details.email` while the actor can still see their profile:
 * once someone leaves, profiles RLS hides it, and the log must still say who it was about.
 */
export async function recordTeamActivity(tx: Queryable, e: TeamActivity): Promise<void> {
  const params: unknown[] = [e.teamId, e.action, JSON.stringify(e.details ?? {}), e.ip, e.subjectId ?? null];
  const actor = e.actorId === undefined ? "auth.uid()" : `$${params.push(e.actorId)}::uuid`;
  // created_at only when backdating: signed-in users may not write that column (column grants).
  const at = e.at === undefined ? null : `$${params.push(e.at)}::timestamptz`;
  await tx.query(
    `insert into public.audit_log (team_id, key_id, actor_id, action, details, ip, subject_id${at ? ", created_at" : ""}) values ($1, null, ${actor}, $2,
       $3::jsonb || coalesce((select jsonb_build_object('email', p.email) from public.profiles p where p.id = $5::uuid), '{}'::jsonb),
       $4::inet, $5::uuid${at ? `, ${at}` : ""})`,
    params,
  );
}
