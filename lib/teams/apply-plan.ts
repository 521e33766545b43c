// No "server-only": lib/billing's background maintenance (worker script) changes plans too.
import { recordTeamActivity } from "@/lib/activity/record";
import type { Queryable } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { getPlan, type PlanId } from "@/lib/plans";

/** Who changed a plan and from which address; nulls for the system (billing webhooks, grace periods). */
export interface PlanChangeBy {
  userId: string | null;
  ip: string | null;
}
export const SYSTEM: PlanChangeBy = { userId: null, ip: null };

/**
 * Sets the team's plan on the caller's transaction and records `plan.changed` (`{from, to}`) in
 * the activity log. Keys are never rewritten: verify_api_call enforces least(key's limit, plan
 * ceiling), so each key gets its own limit back on an upgrade. Returns whether the plan changed.
 * Throws AppError not_found for an unknown team.
 */
export async function applyPlanOn(tx: Queryable, teamId: string, planId: PlanId, by: PlanChangeBy = SYSTEM): Promise<boolean> {
  const plan = getPlan(planId);
  const { rows } = await tx.query<{ plan: string }>("select plan from public.teams where id = $1 for update", [teamId]);
  const from = rows[0]?.plan;
  if (from === undefined) throw new AppError("not_found", "That team does not exist.");
  if (from === plan.id) return false;
  await tx.query("update public.teams set plan = $2 where id = $1", [teamId, plan.id]);
  await recordTeamActivity(tx, { teamId, action: "plan.changed", details: { from, to: plan.id }, ip: by.ip, actorId: by.userId });
  return true;
}
