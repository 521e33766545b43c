import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import type { BillingOverview } from "@/lib/billing/overview.schema";
import { billingDate, STATUS_TONE } from "./billing-format";

type Billing = NonNullable<BillingOverview["billing"]>;

/** Plan, status, trial, period and cancellation; Manage billing for the owner. */
export function SubscriptionCard({ overview, billing }: { overview: BillingOverview; billing: Billing }) {
  const isOwner = overview.role === "owner";
  return (
    <Card>
      <CardHeader
        title="Subscription"
        description={isOwner ? "Payment method, invoices and cancellation are in Stripe's customer portal." : "Only the team's owner manages billing."}
        actions={
          isOwner && billing.hasCustomer ? (
            <form method="post" action="/api/billing/portal">
              <Button type="submit" variant="secondary" size="sm">
                Manage billing
              </Button>
            </form>
          ) : null
        }
      />
      <CardBody>
        <dl className="grid gap-4 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-zinc-500 dark:text-zinc-400">Plan</dt>
            <dd className="mt-1 font-semibold" data-testid="billing-plan">
              {overview.plan.name}
            </dd>
          </div>
          <div>
            <dt className="text-zinc-500 dark:text-zinc-400">Status</dt>
            <dd className="mt-1" data-testid="billing-status">
              {billing.status ? <Badge tone={STATUS_TONE[billing.status]}>{billing.status}</Badge> : "No subscription"}
            </dd>
          </div>
          {billing.status === "trialing" && billing.trialEnd ? (
            <div>
              <dt className="text-zinc-500 dark:text-zinc-400">Trial</dt>
              <dd className="mt-1" data-testid="billing-trial">
                {billing.trialDaysLeft} {billing.trialDaysLeft === 1 ? "day" : "days"} left (ends <time dateTime={billing.trialEnd}>{billingDate(billing.trialEnd)}</time>)
              </dd>
            </div>
          ) : null}
          {billing.currentPeriodEnd && billing.status !== "canceled" ? (
            <div>
              <dt className="text-zinc-500 dark:text-zinc-400">Current period ends</dt>
              <dd className="mt-1">
                <time dateTime={billing.currentPeriodEnd}>{billingDate(billing.currentPeriodEnd)}</time>
              </dd>
            </div>
          ) : null}
          {billing.cancelAtPeriodEnd && billing.currentPeriodEnd ? (
            <div className="sm:col-span-2">
              <dt className="sr-only">Cancellation</dt>
              <dd className="font-medium text-amber-800 dark:text-amber-300">
                Cancels on <time dateTime={billing.currentPeriodEnd}>{billingDate(billing.currentPeriodEnd)}</time>; the team moves to Free then.
              </dd>
            </div>
          ) : null}
        </dl>
      </CardBody>
    </Card>
  );
}
