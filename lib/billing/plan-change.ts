import { PLAN_IDS, type Plan } from "@/lib/plans";

/** Whether going from `from` to `to` lowers the plan (by its place in PLAN_IDS: free < pro < business). */
export function isDowngrade(from: Plan, to: Plan): boolean {
  return PLAN_IDS.indexOf(to.id) < PLAN_IDS.indexOf(from.id);
}

/**
 * What a person loses by moving from `from` to `to`, one sentence each, for the confirmation a
 * downgrade asks for. Empty when nothing is lowered. Keys are never rewritten (see applyPlan):
 * the sentences say what is enforced, and that an upgrade gives it back.
 *
 * @param keysInUse the team's current key count (lib/keys team_key_count), when known
 */
export function planChangeEffects(from: Plan, to: Plan, keysInUse?: number): string[] {
  const out: string[] = [];
  if (to.keyLimit < from.keyLimit) {
    const over = keysInUse !== undefined && keysInUse > to.keyLimit;
    out.push(
      over
        ? `Your ${keysInUse} keys keep working, but ${to.name} allows ${to.keyLimit}: no new key can be created until fewer than ${to.keyLimit} remain.`
        : `At most ${to.keyLimit} keys: keys over that number keep working, but no new ones can be created.`,
    );
  }
  if (to.rateCeilingPerMinute < from.rateCeilingPerMinute) {
    out.push(
      `Rate limits are capped at ${to.rateCeilingPerMinute} requests per minute per key. Each key keeps the limit you chose, and gets it back if you upgrade again.`,
    );
  }
  if (to.monthlyCalls < from.monthlyCalls) {
    out.push(`The team's monthly quota becomes ${to.monthlyCalls.toLocaleString("en-US")} calls.`);
  }
  if (from.overageAllowed && !to.overageAllowed) {
    out.push("Overage is refused: calls past the quota answer 429 quota_exceeded until the month turns.");
  }
  return out;
}
