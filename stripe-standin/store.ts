import { randomBytes } from "node:crypto";

/**
 * The stand-in's memory: Stripe objects in their documented shapes (API 2025+: the billing
 * period lives on subscription items, an invoice names its subscription under
 * parent.subscription_details). Only the fields Llavero and the SDK read are filled in.
 */
export type StripeObject = Record<string, unknown> & { id: string; object: string };

export const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;
export const nowSec = () => Math.floor(Date.now() / 1000);
const DAY = 86_400;
const MONTH = 30 * DAY;

export interface MeterEventRecord {
  identifier: string;
  event_name: string;
  customer: string;
  value: number;
  timestamp: number;
}

export class StandinStore {
  customers = new Map<string, StripeObject>();
  products = new Map<string, StripeObject>();
  prices = new Map<string, StripeObject>();
  meters = new Map<string, StripeObject>();
  checkoutSessions = new Map<string, StripeObject>();
  portalSessions = new Map<string, StripeObject>();
  subscriptions = new Map<string, StripeObject>();
  invoices = new Map<string, StripeObject>();
  /** Accepted meter events, one per identifier. */
  meterEvents = new Map<string, MeterEventRecord>();
  /** How many times any meter event was accepted (a duplicate identifier is refused, not counted). */
  meterEventAcceptances = 0;
  events: StripeObject[] = [];

  private static readonly MAPS = ["customers", "products", "prices", "meters", "checkoutSessions", "portalSessions", "subscriptions", "invoices", "meterEvents"] as const;

  /** Everything as JSON, for a state file that survives restarts (dev:stripe). */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { events: this.events, meterEventAcceptances: this.meterEventAcceptances };
    for (const m of StandinStore.MAPS) out[m] = [...(this[m] as Map<string, unknown>).entries()];
    return out;
  }

  static fromJSON(data: Record<string, unknown>): StandinStore {
    const s = new StandinStore();
    for (const m of StandinStore.MAPS) (s as unknown as Record<string, Map<string, unknown>>)[m] = new Map((data[m] as [string, unknown][] | undefined) ?? []);
    s.events = (data.events as StripeObject[] | undefined) ?? [];
    s.meterEventAcceptances = Number(data.meterEventAcceptances ?? 0);
    return s;
  }

  priceByLookupKey(key: string): StripeObject | undefined {
    return [...this.prices.values()].find((p) => p.lookup_key === key);
  }

  createSubscription(customer: string, priceIds: string[], trialDays: number, metadata: Record<string, unknown>): StripeObject {
    const id = newId("sub");
    const now = nowSec();
    const trialEnd = trialDays > 0 ? now + trialDays * DAY : null;
    const periodEnd = trialEnd ?? now + MONTH;
    const sub: StripeObject = {
      id,
      object: "subscription",
      customer,
      status: trialEnd ? "trialing" : "active",
      created: now,
      start_date: now,
      billing_cycle_anchor: periodEnd,
      trial_start: trialEnd ? now : null,
      trial_end: trialEnd,
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: null,
      ended_at: null,
      currency: "usd",
      livemode: false,
      metadata,
      latest_invoice: null,
      items: {
        object: "list",
        has_more: false,
        url: `/v1/subscription_items?subscription=${id}`,
        data: priceIds.map((p) => ({
          id: newId("si"),
          object: "subscription_item",
          subscription: id,
          price: this.prices.get(p),
          quantity: this.prices.get(p)?.recurring && (this.prices.get(p)!.recurring as { usage_type?: string }).usage_type === "metered" ? undefined : 1,
          created: now,
          current_period_start: now,
          current_period_end: periodEnd,
          metadata: {},
        })),
      },
    };
    this.subscriptions.set(id, sub);
    return sub;
  }

  /** Moves every item's period forward one month from its current end. */
  advancePeriod(sub: StripeObject): void {
    for (const item of (sub.items as { data: Record<string, number>[] }).data) {
      item.current_period_start = item.current_period_end!;
      item.current_period_end = item.current_period_end! + MONTH;
    }
  }

  createInvoice(sub: StripeObject, paid: boolean, reason: string): StripeObject {
    const amount = (sub.items as { data: { price?: { unit_amount?: number | null; recurring?: { usage_type?: string } } }[] }).data
      .filter((i) => i.price?.recurring?.usage_type !== "metered")
      .reduce((s, i) => s + (i.price?.unit_amount ?? 0), 0);
    const due = sub.status === "trialing" && reason === "subscription_create" ? 0 : amount;
    const inv: StripeObject = {
      id: newId("in"),
      object: "invoice",
      customer: sub.customer,
      status: paid ? "paid" : "open",
      billing_reason: reason,
      currency: "usd",
      amount_due: due,
      amount_paid: paid ? due : 0,
      amount_remaining: paid ? 0 : due,
      attempt_count: 1,
      created: nowSec(),
      livemode: false,
      parent: { type: "subscription_details", subscription_details: { subscription: sub.id, metadata: sub.metadata } },
    };
    this.invoices.set(inv.id, inv);
    sub.latest_invoice = inv.id;
    return inv;
  }

  event(type: string, object: StripeObject): StripeObject {
    const e: StripeObject = {
      id: newId("evt"),
      object: "event",
      api_version: "2026-10-28.endive",
      created: nowSec(),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object: structuredClone(object) },
    };
    this.events.push(e);
    return e;
  }
}
