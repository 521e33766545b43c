import Link from "next/link";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ProgressBar } from "@/components/ui/progress-bar";
import { Skeleton } from "@/components/ui/states";
import type { UsageSummary } from "@/lib/usage/usage.schema";
import { formatCount, monthEndLabel, resetDateLabel } from "./usage-format";

const link = "font-medium text-accent-700 underline-offset-2 hover:underline dark:text-accent-300";

/** This month's team-wide metered calls against the plan's quota, with the month-end projection. */
export function QuotaCard({ quota, planName }: { quota: UsageSummary["quota"]; planName: string }) {
  const { used, limit, overage, projected, month, resets_at: resetsAt, overage_allowed: overageAllowed } = quota;
  const usedText = `${formatCount(used)} of ${formatCount(limit)} calls this month`;
  const over = projected > limit;
  return (
    <Card>
      <CardHeader
        title="This month's quota"
        description={`Metered calls by the whole team on the ${planName} plan. Pings and audit status checks are free.`}
      />
      <CardBody className="space-y-3">
        <p className="text-sm text-zinc-700 dark:text-zinc-300" data-testid="quota-text">
          <span className="text-2xl font-semibold text-zinc-900 tabular-nums dark:text-zinc-50">{formatCount(used)}</span> of {formatCount(limit)} calls
          this month
        </p>
        <ProgressBar value={used} max={limit} label="Team calls this month" valueText={usedText} />
        {overage > 0 ? (
          <p className="text-sm font-medium text-red-700 dark:text-red-400">
            Overage so far: {formatCount(overage)} call{overage === 1 ? "" : "s"} past the quota{overageAllowed ? ", billed with this month's invoice." : "."}
          </p>
        ) : null}
        <p className={over ? "text-sm text-amber-800 dark:text-amber-300" : "text-sm text-zinc-600 dark:text-zinc-400"} data-testid="quota-projection">
          At this pace you will use {formatCount(projected)} of {formatCount(limit)} by {monthEndLabel(month)}.
          {over && !overageAllowed ? (
            <>
              {" "}
              Calls past the quota are refused until it resets:{" "}
              <Link href="/billing" className={link}>
                see plans
              </Link>
              .
            </>
          ) : null}
          {over && overageAllowed ? " Calls past the quota are served and billed as overage." : null}
        </p>
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
