import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ProgressBar } from "@/components/ui/progress-bar";
import { formatCount } from "@/components/usage/usage-format";
import type { BillingOverview } from "@/lib/billing/overview.schema";
import { billingDate, usd } from "./billing-format";

/** This month's calls against the quota, with the 80 % / 100 % notices, and overage for owners and admins. */
export function BillingUsageCard({ overview }: { overview: BillingOverview }) {
  const { quota, plan, billing } = overview;
  const share = quota.limit > 0 ? quota.used / quota.limit : 0;
  return (
    <Card>
      <CardHeader title="This month" description={`Metered calls by the whole team on the ${plan.name} plan. The quota resets on ${billingDate(quota.resetsAt)} (UTC).`} />
      <CardBody className="space-y-3 text-sm">
        <p data-testid="billing-quota">
          <span className="text-2xl font-semibold tabular-nums">{formatCount(quota.used)}</span> of {formatCount(quota.limit)} calls
        </p>
        <ProgressBar value={quota.used} max={quota.limit} label="Team calls this month" valueText={`${formatCount(quota.used)} of ${formatCount(quota.limit)} calls`} />
        {share >= 1 ? (
          <p role="status" className="font-medium text-red-700 dark:text-red-400">
            The monthly quota is used up.{" "}
            {plan.overageAllowed
              ? billing?.hardCap === 0
                ? "The hard cap is 0, so calls past the quota are refused."
                : "Calls past it are served and billed as overage."
              : "Calls past it are refused until it resets."}
          </p>
        ) : share >= 0.8 ? (
          <p role="status" className="font-medium text-amber-800 dark:text-amber-300">
            80 % of the monthly quota is used.
          </p>
        ) : null}
        {billing ? (
          <dl className="grid gap-3 sm:grid-cols-3">
            <div>
              <dt className="text-zinc-500 dark:text-zinc-400">Overage calls so far</dt>
              <dd className="mt-1 font-semibold tabular-nums" data-testid="billing-overage">
                {formatCount(quota.overage)}
              </dd>
            </div>
            <div>
              <dt className="text-zinc-500 dark:text-zinc-400">Estimated overage cost</dt>
              <dd className="mt-1 font-semibold tabular-nums">{usd(billing.estimatedOverageCents)}</dd>
            </div>
            <div>
              <dt className="text-zinc-500 dark:text-zinc-400">Reported to Stripe</dt>
              <dd className="mt-1 font-semibold tabular-nums" data-testid="billing-reported">
                {formatCount(billing.reportedOverage)}
              </dd>
            </div>
          </dl>
        ) : null}
      </CardBody>
    </Card>
  );
}
