// No "server-only": lib/billing's background maintenance (worker script) changes plans too.
import type { Queryable } from "@/lib/db/types";
import { getPlan, type PlanId } from "@/lib/plans";

/**
 * Sets the team's effective plan and lowers its keys' rate limits to the plan's ceiling, on the
 * caller's transaction. Returns whether the plan changed.
 */
export async function applyPlanOn(tx: Queryable, teamId: string, planId: PlanId): Promise<boolean> {
  const plan = getPlan(planId);
  const r = await tx.query<{ id: string }>("update public.teams set plan = $2 where id = $1 and plan <> $2 returning id", [teamId, plan.id]);
  await tx.query(
    "update public.api_keys set rate_limit_per_minute = $2, updated_at = now() where team_id = $1 and rate_limit_per_minute > $2",
    [teamId, plan.rateCeilingPerMinute],
  );
  return r.rows.length > 0;
}
