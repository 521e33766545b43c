"use server";

import { revalidatePath } from "next/cache";
import { requireTeamContext } from "@/lib/auth/require";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { runAction, type ActionResult } from "@/lib/actions/action";
import { planSchema } from "@/lib/schemas/team.schema";
import { setPlanDirectly } from "@/lib/teams/teams";

export async function setPlanAction(input: unknown): Promise<ActionResult> {
  const r = await runAction(async () => {
    if (env().STRIPE_SECRET_KEY) throw new AppError("forbidden", "Plans change through Stripe Checkout when Stripe is configured.");
    const { user, team } = await requireTeamContext();
    await setPlanDirectly(user.id, team.id, planSchema.parse(input).plan);
    return undefined;
  });
  if (r.ok) revalidatePath("/", "layout");
  return r;
}
