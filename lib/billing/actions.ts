"use server";

import { teamAction } from "@/lib/actions/action";
import { requestIp } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { planSchema } from "@/lib/schemas/team.schema";
import { setPlanDirectly } from "@/lib/teams/teams";

/** Development mode (no Stripe): the owner switches plans directly. */
export const setPlanAction = teamAction(planSchema, async ({ user, team }, { plan }) => {
  if (env().STRIPE_SECRET_KEY) throw new AppError("forbidden", "Plans change through Stripe Checkout when Stripe is configured.");
  await setPlanDirectly(user.id, team.id, plan, await requestIp());
});
