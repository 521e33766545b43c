import type { BadgeTone } from "@/components/ui/badge";
import { formatNumber } from "@/lib/format";
import type { KeyStatus as Status, KeyView } from "@/lib/keys/key-view.schema";

/** How each status reads and looks, wherever a key's status is shown. */
export const KEY_STATUS_BADGE: Record<Status, { text: string; tone: BadgeTone }> = {
  active: { text: "Active", tone: "success" },
  expiring: { text: "Expiring soon", tone: "warning" },
  rotating: { text: "Rotating", tone: "info" },
  disabled: { text: "Disabled", tone: "neutral" },
  exhausted: { text: "Exhausted", tone: "warning" },
  expired: { text: "Expired", tone: "danger" },
  revoked: { text: "Revoked", tone: "danger" },
};

/** "Exhausted · 5 of 5 uses" for a spent use cap; the plain status text otherwise. */
export function keyStatusText(key: Pick<KeyView, "status" | "use_cap" | "calls_total">): string {
  const { text } = KEY_STATUS_BADGE[key.status];
  return key.status === "exhausted" && key.use_cap !== null ? `${text} · ${formatNumber(key.calls_total)} of ${formatNumber(key.use_cap)} uses` : text;
}


/** "60/min" or, when the plan's ceiling is lower than the key's own limit, "60/min, capped at 10 by the Free plan". */
export function rateLimitText(key: Pick<KeyView, "rate_limit_per_minute" | "rate_limit_enforced" | "plan_name">): string {
  const chosen = `${formatNumber(key.rate_limit_per_minute)}/min`;
  return key.rate_limit_enforced < key.rate_limit_per_minute ? `${chosen}, capped at ${formatNumber(key.rate_limit_enforced)} by the ${key.plan_name} plan` : chosen;
}
