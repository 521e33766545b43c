"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { setPlanAction } from "@/lib/billing/actions";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import type { Plan, PlanId } from "@/lib/plans";

export function PlanPicker({ plans, current, canChange }: { plans: Plan[]; current: PlanId; canChange: boolean }) {
  const router = useRouter();
  const { toast } = useToast();
  const [pending, start] = useTransition();
  return (
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
              <li>{p.overageAllowed ? "Overage allowed and billed" : "Calls refused past the quota"}</li>
            </ul>
            <div className="mt-4">
              {active ? (
                <p className="text-sm font-medium text-accent-700 dark:text-accent-400">Current plan</p>
              ) : canChange ? (
                <Button
                  size="sm"
                  variant="secondary"
                  disabled={pending}
                  onClick={() =>
                    start(async () => {
                      const r = await setPlanAction({ plan: p.id });
                      if (r.ok) toast({ title: `Switched to ${p.name}`, variant: "success" });
                      else toast({ title: "Plan not changed", description: r.message, variant: "error" });
                      router.refresh();
                    })
                  }
                >
                  Switch to {p.name}
                </Button>
              ) : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
