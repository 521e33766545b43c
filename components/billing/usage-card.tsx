import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ProgressBar } from "@/components/ui/progress-bar";
import { formatCount } from "@/components/usage/usage-format";
import type { BillingOverview } from "@/lib/billing/overview.schema";
import { COUNT_DEFINITIONS as D } from "@/lib/usage/definitions";
import { quotaSentences } from "@/lib/usage/quota-text";
import { billingDate, usd } from "./billing-format";

/** This month's calls against the quota, with the 80 % / 100 % notices, and overage for owners and admins. */
export function BillingUsageCard({ overview }: { overview: BillingOverview }) {
  const { quota, plan, billing } = overview;
  const share = quota.limit > 0 ? quota.used / quota.limit : 0;
  // The usage page's sentences (lib/usage/quota-text.ts): the same words for the same figures.
  const text = quotaSentences(
    { used: quota.used, limit: quota.limit, overage: quota.overage, overage_allowed: plan.overageAllowed, billing_mode: overview.stripeEnabled ? "stripe" : "none" },
    plan.name,
  );
  return (
    <Card>
      <CardHeader
        title="This month"
        description={`${D.metered.label} calls by the whole team on the ${plan.name} plan (${D.metered.definition}) The quota resets on ${billingDate(quota.resetsAt)} (UTC).`}
      />
      <CardBody className="space-y-3 text-sm">
        <p data-testid="billing-quota">{text.headline}</p>
        <ProgressBar value={Math.min(quota.used, quota.limit)} max={quota.limit} label="Team metered calls this month" valueText={text.headline} />
        {text.split ? (
          <p className="text-zinc-700 dark:text-zinc-300" title={D.overage.definition}>
            {text.split} {text.billing}
          </p>
        ) : null}
        {share >= 1 ? (
          <p role="status" className="font-medium text-red-700 dark:text-red-400">
            The monthly quota is used up.{" "}
            {plan.overageAllowed
              ? billing?.hardCap === 0
                ? "The hard cap is 0, so calls past the quota are refused."
                : overview.stripeEnabled
                  ? "Calls past it are served and billed as overage."
                  : "Calls past it are served as overage; nothing is charged in development mode."
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
