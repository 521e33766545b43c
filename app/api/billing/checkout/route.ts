// POST /api/billing/checkout (form or JSON {plan}): 303 to a Stripe Checkout session. Owner only.
import { readCheckoutPlan, requireStripe } from "@/lib/billing/routes";
import { requireBillingOwner, startCheckout } from "@/lib/billing/sessions";
import { dashboardRoute } from "@/lib/http/dashboard-api";

export const POST = dashboardRoute(async (req, ctx) => {
  // Who may ask comes first: a non-owner is refused (403) whatever the configuration.
  await requireBillingOwner(ctx.user.id, ctx.team.id);
  const stripe = requireStripe();
  const plan = await readCheckoutPlan(req);
  const url = await startCheckout({ stripe, userId: ctx.user.id, email: ctx.user.email, teamId: ctx.team.id, plan });
  return new Response(null, { status: 303, headers: { location: url } });
}, { acceptForms: true });
