import "server-only";
import { AppError } from "@/lib/errors";
import type { Plan } from "@/lib/plans";
import type { TeamRole } from "@/lib/teams/teams";
import { asActor, KEY_COLUMNS, loadKey, teamPlanAndRole, toKeyView, type Actor } from "./lifecycle";
import type { KeyStatus, KeyView } from "./key-view.schema";

/**
 * Reads of keys for the key-management API, as the actor (row-level security decides what they
 * see: a member their own keys, an owner or admin every key of the team — as in the dashboard).
 */

/** One key of the actor's team. Throws AppError not_found for a key they cannot see or another team's. */
export async function getKey(actor: Actor, keyId: string): Promise<KeyView> {
  return asActor(actor, (tx) => loadKey(tx, actor.teamId, keyId, false));
}

export interface KeyPage {
  data: KeyView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  next_cursor: string | null;
  /** The plan's key limit: keys in use (neither revoked nor replaced) of `max`. */
  limit: { used: number; max: number; plan: string };
}

/**
 * Newest first, `limit` at a time. `status` "all" lists every key, a status only the keys in it,
 * and none every key but revoked ones (as the dashboard's list). `cursor` is the last key id of
 * the previous page. Throws AppError invalid_request for a cursor that names no visible key.
 */
export async function listKeyPage(actor: Actor, opts: { status?: KeyStatus | "all"; cursor?: string; limit: number }): Promise<KeyPage> {
  return asActor(actor, async (tx) => {
    const { plan } = await teamPlanAndRole(tx, actor.teamId);
    let after: { created_at: string; id: string } | null = null;
    if (opts.cursor) {
      const { rows } = await tx.query<{ created_at: string; id: string }>(
        "select created_at::text as created_at, id from public.api_keys where id = $1 and team_id = $2",
        [opts.cursor, actor.teamId],
      );
      if (!rows[0]) throw new AppError("invalid_request", "The cursor is not valid.", [{ path: "cursor", message: "Not a cursor of this list." }]);
      after = rows[0];
    }
    const { rows } = await tx.query(
      `select ${KEY_COLUMNS} from public.api_keys k left join public.profiles p on p.id = k.created_by
        where k.team_id = $1
          and case when $2::text is null then k.revoked_at is null when $2 = 'all' then true else public.key_status(k) = $2 end
          and ($3::timestamptz is null or (k.created_at, k.id) < ($3::timestamptz, $4::uuid))
        order by k.created_at desc, k.id desc
        limit $5`,
      [actor.teamId, opts.status ?? null, after?.created_at ?? null, after?.id ?? null, opts.limit + 1],
    );
    const count = await tx.query<{ n: number }>("select public.team_key_count($1) as n", [actor.teamId]);
    const data = rows.slice(0, opts.limit).map((r) => toKeyView(r));
    return {
      data,
      next_cursor: rows.length > opts.limit ? (data.at(-1)?.id ?? null) : null,
      limit: { used: count.rows[0]?.n ?? 0, max: plan.keyLimit, plan: plan.name },
    };
  });
}

export interface WhoAmI {
  key: KeyView;
  role: TeamRole;
  plan: Plan;
}

/** The acting key as its creator sees it, with the creator's role and the team's plan. */
export async function whoAmI(actor: Actor & { key: NonNullable<Actor["key"]> }): Promise<WhoAmI> {
  return asActor(actor, async (tx) => {
    const { plan, role } = await teamPlanAndRole(tx, actor.teamId);
    return { key: await loadKey(tx, actor.teamId, actor.key.id, false), role, plan };
  });
}
