import type { Metadata } from "next";
import { Suspense } from "react";
import { BillingPanel } from "@/components/billing/billing-panel";
import { PlanPicker } from "@/components/billing/plan-picker";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireTeamContext } from "@/lib/auth/require";
import { getBillingOverview } from "@/lib/billing/overview";
import { env } from "@/lib/env";
import { PLANS } from "@/lib/plans";

export const metadata: Metadata = { title: "Billing" };

export default async function BillingPage() {
  const { user, team } = await requireTeamContext();
  const stripe = Boolean(env().STRIPE_SECRET_KEY);
  const isOwner = team.role === "owner";
  if (stripe) {
    const overview = await getBillingOverview(user.id, team.id);
    return (
      <div className="space-y-8">
        <PageHeader title="Billing" description="Your team's plan sets the monthly quota, the number of keys and each key's rate ceiling." />
        <Suspense>
          <BillingPanel initial={overview} />
        </Suspense>
      </div>
    );
  }
  return (
    <div className="space-y-8">
      <PageHeader title="Billing" description="Your team's plan sets the monthly quota, the number of keys and each key's rate ceiling." />
      {!stripe ? (
        <div role="note" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200">
          <p className="font-medium">
            <Badge tone="warning">Development mode</Badge> Stripe is not configured.
          </p>
          <p className="mt-1">
            Set <code>STRIPE_SECRET_KEY</code> to bill through Stripe Checkout. Until then the owner switches plans here directly, and nothing is charged.
          </p>
        </div>
      ) : null}
      <Card>
        <CardHeader title="Plan" description={isOwner ? "Only the owner changes the plan." : "Ask the team's owner to change the plan."} />
        <CardBody>
          <PlanPicker plans={Object.values(PLANS)} current={team.plan} canChange={isOwner && !stripe} billingMode={stripe ? "stripe" : "none"} />
        </CardBody>
      </Card>
    </div>
  );
}
