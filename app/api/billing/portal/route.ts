// POST /api/billing/portal: 303 to a fresh Stripe customer-portal session. Owner only.
import { requireStripe } from "@/lib/billing/routes";
import { requireBillingOwner, startPortal } from "@/lib/billing/sessions";
import { dashboardRoute } from "@/lib/http/dashboard-api";

export const POST = dashboardRoute(async (_req, ctx) => {
  // Who may ask comes first: a non-owner is refused (403) whatever the configuration.
  await requireBillingOwner(ctx.user.id, ctx.team.id);
  const url = await startPortal({ stripe: requireStripe(), userId: ctx.user.id, teamId: ctx.team.id });
  return new Response(null, { status: 303, headers: { location: url } });
}, { acceptForms: true });
