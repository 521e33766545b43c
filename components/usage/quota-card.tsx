import Link from "next/link";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ProgressBar } from "@/components/ui/progress-bar";
import { Skeleton } from "@/components/ui/states";
import { COUNT_DEFINITIONS as D } from "@/lib/usage/definitions";
import { projectionNote, quotaSentences } from "@/lib/usage/quota-text";
import type { UsageSummary } from "@/lib/usage/usage.schema";
import { formatCount, monthEndLabel, resetDateLabel } from "./usage-format";

const link = "font-medium text-accent-700 underline-offset-2 hover:underline dark:text-accent-300";

/**
 * This month's team-wide metered calls against the plan's quota, with the month-end projection.
 * The sentences come from lib/usage/quota-text.ts: overage as counted at the time of each call,
 * and words that match the billing mode (no "billed" without Stripe).
 */
export function QuotaCard({ quota, planName }: { quota: UsageSummary["quota"]; planName: string }) {
  const { used, limit, projected, month, resets_at: resetsAt, overage_allowed: overageAllowed } = quota;
  const text = quotaSentences(quota, planName);
  const note = projectionNote(quota);
  return (
    <Card>
      <CardHeader title="This month's quota" description={`${D.metered.label} calls by the whole team on the ${planName} plan. ${D.metered.definition}`} />
      <CardBody className="space-y-3">
        <p className="text-sm text-zinc-700 dark:text-zinc-300" data-testid="quota-text">
          {text.headline}
        </p>
        <ProgressBar value={Math.min(used, limit)} max={limit} label="Team metered calls this month" valueText={text.headline} />
        {text.split ? (
          <p className="text-sm font-medium text-red-700 dark:text-red-400" data-testid="quota-overage" title={D.overage.definition}>
            {text.split} {text.billing}
          </p>
        ) : null}
        {text.policy ? (
          <p className="text-sm text-zinc-700 dark:text-zinc-300" data-testid="quota-policy">
            {text.policy}
            {!overageAllowed ? (
              <>
                {" "}
                <Link href="/billing" className={link}>
                  See plans
                </Link>
                .
              </>
            ) : null}
          </p>
        ) : null}
        {projected !== null ? (
          <p className={note ? "text-sm text-amber-800 dark:text-amber-300" : "text-sm text-zinc-600 dark:text-zinc-400"} data-testid="quota-projection">
            At this pace you will use {formatCount(projected)} of {formatCount(limit)} by {monthEndLabel(month)}.{note ? ` ${note}` : null}
          </p>
        ) : null}
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          The quota resets on <time dateTime={resetsAt}>{resetDateLabel(resetsAt)}</time> (UTC).
        </p>
      </CardBody>
    </Card>
  );
}

export function QuotaCardSkeleton() {
  return (
    <Card>
      <CardHeader title="This month's quota" description="Metered calls by the whole team." />
      <CardBody className="space-y-3">
        <Skeleton className="h-8 w-56" />
        <Skeleton className="h-2 w-full" />
        <Skeleton className="h-4 w-80" />
        <Skeleton className="h-4 w-48" />
      </CardBody>
    </Card>
  );
}
