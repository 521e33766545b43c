import type { SubscriptionStatus } from "@/lib/billing/state";

export const STATUS_TONE: Record<SubscriptionStatus, "success" | "info" | "warning" | "danger" | "neutral"> = {
  trialing: "info",
  active: "success",
  past_due: "danger",
  unpaid: "danger",
  canceled: "neutral",
  incomplete: "warning",
  incomplete_expired: "neutral",
  paused: "neutral",
};

/** "30 Nov 2026" in UTC, the calendar billing periods are in. */
export function billingDate(iso: string): string {
  return new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

export function usd(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}

/** Subscriptions the owner manages in the portal rather than starting a new Checkout. */
export const LIVE: readonly SubscriptionStatus[] = ["trialing", "active", "past_due", "unpaid", "incomplete", "paused"];
