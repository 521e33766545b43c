"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { setPlanAction } from "@/lib/billing/actions";
import { isDowngrade, planChangeEffects } from "@/lib/billing/plan-change";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { getPlan, type Plan, type PlanId } from "@/lib/plans";
import { planOverageLine } from "@/lib/usage/quota-text";

/**
 * Development-mode plan switch. A downgrade asks first and says what will change
 * (lib/billing/plan-change.ts); an upgrade switches at once.
 *
 * @param keysInUse the team's key count, so the confirmation can say whether keys go over the new limit
 */
export function PlanPicker({
  plans,
  current,
  canChange,
  keysInUse,
  billingMode,
}: {
  plans: Plan[];
  current: PlanId;
  canChange: boolean;
  keysInUse?: number;
  billingMode: "stripe" | "none";
}) {
  const router = useRouter();
  const { toast } = useToast();
  const [pending, start] = useTransition();
  const [confirming, setConfirming] = useState<Plan | null>(null);
  const currentPlan = getPlan(current);
  const switchTo = (p: Plan) =>
    start(async () => {
      const r = await setPlanAction({ plan: p.id });
      setConfirming(null);
      if (r.ok) toast({ title: `Switched to ${p.name}`, variant: "success" });
      else toast({ title: "Plan not changed", description: r.message, variant: "error" });
      router.refresh();
    });
  const effects = confirming ? planChangeEffects(currentPlan, confirming, keysInUse) : [];
  return (
    <>
    <ConfirmDialog
      open={confirming !== null}
      title={`Downgrade to ${confirming?.name ?? ""}?`}
      message={
        <>
          <span className="block">On the {confirming?.name} plan:</span>
          <ul className="mt-2 list-disc space-y-1 pl-5">
            {effects.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </>
      }
      confirmLabel={`Downgrade to ${confirming?.name ?? ""}`}
      destructive
      pending={pending}
      onCancel={() => setConfirming(null)}
      onConfirm={() => (confirming ? switchTo(confirming) : undefined)}
    />
    <ul className="grid gap-4 md:grid-cols-3">
      {plans.map((p) => {
        const active = p.id === current;
        return (
          <li key={p.id} className={`rounded-lg border p-4 ${active ? "border-accent-500 ring-2 ring-accent-500/30" : "border-zinc-200 dark:border-zinc-800"}`}>
            <h3 className="font-semibold">{p.name}</h3>
            <ul className="mt-2 space-y-1 text-sm text-zinc-600 dark:text-zinc-400">
              <li>{p.monthlyCalls.toLocaleString("en-US")} calls / month for the team</li>
              <li>{p.keyLimit} keys</li>
              <li>Up to {p.rateCeilingPerMinute} requests / minute per key</li>
              <li>{planOverageLine(p.overageAllowed, billingMode)}</li>
            </ul>
            <div className="mt-4">
              {active ? (
                <p className="text-sm font-medium text-accent-700 dark:text-accent-400">Current plan</p>
              ) : canChange ? (
                <Button
                  size="sm"
                  variant="secondary"
                  disabled={pending}
                  onClick={() => (isDowngrade(currentPlan, p) ? setConfirming(p) : switchTo(p))}
                >
                  Switch to {p.name}
                </Button>
              ) : null}
            </div>
          </li>
        );
      })}
    </ul>
    </>
  );
}
