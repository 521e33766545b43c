"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef } from "react";
import { apiFetch } from "@/lib/client/api-client";
import { queryKeys } from "@/lib/client/query-keys";
import { Spinner } from "@/components/ui/spinner";
import type { BillingOverview } from "@/lib/billing/overview.schema";
import { billingDate, LIVE } from "./billing-format";
import { HardCapCard } from "./hard-cap-card";
import { SubscriptionCard } from "./subscription-card";
import { UpgradeCard } from "./upgrade-card";
import { BillingUsageCard } from "./usage-card";

/**
 * The billing page with Stripe configured. Back from Checkout (`?checkout=success`) it polls
 * every 1.5 s until the webhook has landed, then every 15 s.
 */
export function BillingPanel({ initial }: { initial: BillingOverview }) {
  const params = useSearchParams();
  const returned = params.get("checkout") === "success";
  const { data } = useQuery({
    queryKey: queryKeys.billing,
    queryFn: ({ signal }) => apiFetch<BillingOverview>("/api/billing/status", { signal }),
    initialData: initial,
    refetchInterval: (q) => (returned && !isLive(q.state.data) ? 1_500 : 15_000),
  });
  const o = data ?? initial;
  const b = o.billing;
  const waiting = returned && !isLive(o);
  // Once confirmed, re-render the server parts too (the plan in the header, key limits).
  const router = useRouter();
  const wasWaiting = useRef(waiting);
  useEffect(() => {
    if (wasWaiting.current && !waiting) router.refresh();
    wasWaiting.current = waiting;
  }, [waiting, router]);
  const isOwner = o.role === "owner";
  return (
    <div className="space-y-6">
      {waiting ? (
        <p role="status" className="flex items-center gap-2 rounded-lg border border-accent-300 bg-accent-50 p-4 text-sm dark:border-accent-800 dark:bg-accent-950/40">
          <Spinner /> Waiting for Stripe to confirm your subscription…
        </p>
      ) : null}
      {params.get("checkout") === "canceled" ? <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">Checkout was canceled; nothing changed.</p> : null}
      {b && (b.status === "past_due" || b.status === "unpaid") ? (
        <div role="alert" data-testid="past-due-banner" className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/40 dark:text-red-200">
          <p className="font-medium">The last payment failed.</p>
          <p className="mt-1">
            {isOwner ? "Update the payment method with Manage billing" : "Ask the team's owner to update the payment method"}
            {b.graceEndsAt ? (
              <>
                {" "}by <time dateTime={b.graceEndsAt}>{billingDate(b.graceEndsAt)}</time>, or the team gets Free limits until it is paid.
              </>
            ) : "."}
          </p>
        </div>
      ) : null}
      {b ? <SubscriptionCard overview={o} billing={b} /> : <p data-testid="billing-plan" className="text-sm">Plan: <strong>{o.plan.name}</strong></p>}
      <BillingUsageCard overview={o} />
      {b && o.plan.overageAllowed ? <HardCapCard cap={b.hardCap} canEdit={isOwner} /> : null}
      {isOwner && !(b?.status && LIVE.includes(b.status)) ? <UpgradeCard currentPlan={o.plan.id} /> : null}
    </div>
  );
}

function isLive(o: BillingOverview | undefined): boolean {
  const s = o?.billing?.status;
  return Boolean(s && LIVE.includes(s));
}
