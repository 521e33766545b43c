import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PLANS } from "@/lib/plans";

/** Upgrade through Stripe Checkout (a form post, so it works before the page hydrates). Owner only. */
export function UpgradeCard({ currentPlan }: { currentPlan: string }) {
  const paid = [PLANS.pro, PLANS.business];
  return (
    <Card>
      <CardHeader title="Upgrade" description="Checkout happens on Stripe. Pro starts with a 15-day free trial." />
      <CardBody>
        <ul className="grid gap-4 md:grid-cols-2">
          {paid.map((p) => (
            <li key={p.id} className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
              <h3 className="font-semibold">{p.name}</h3>
              <ul className="mt-2 space-y-1 text-sm text-zinc-600 dark:text-zinc-400">
                <li>{p.id === "pro" ? "29 USD / month, 15-day trial" : "99 USD / month"}</li>
                <li>{p.monthlyCalls.toLocaleString("en-US")} calls / month, {p.keyLimit} keys</li>
                <li>Overage at {p.id === "pro" ? "0.01" : "0.005"} USD a call</li>
              </ul>
              <form method="post" action="/api/billing/checkout" className="mt-4">
                <input type="hidden" name="plan" value={p.id} />
                <Button type="submit" size="sm" variant={p.id === currentPlan ? "secondary" : "primary"}>
                  Upgrade to {p.name}
                </Button>
              </form>
            </li>
          ))}
        </ul>
      </CardBody>
    </Card>
  );
}
