import { arr, obj, str, type FormValue } from "./form";
import { newId, nowSec, type StandinStore, type StripeObject } from "./store";

/** A Stripe-shaped error answer. */
export class StripeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }
  body() {
    return { error: { type: this.type, message: this.message, code: this.code, param: this.param } };
  }
}

const notFound = (what: string, id: string) => new StripeHttpError(404, "invalid_request_error", `No such ${what}: '${id}'`, "resource_missing", "id");
const list = (url: string, data: unknown[]) => ({ object: "list", data, has_more: false, url });
const meta = (v: FormValue | undefined) => obj(v) as Record<string, unknown>;

export interface ApiContext {
  store: StandinStore;
  /** Public base of the stand-in, for Checkout and portal URLs. */
  baseUrl: string;
  /** Queues signed webhook deliveries of these events. */
  emit: (events: StripeObject[]) => void;
}

/** The /v1 endpoints Llavero and `npm run stripe:setup` call. Returns null for an unknown route. */
export function handleApi(ctx: ApiContext, method: string, path: string, p: Record<string, FormValue>): unknown {
  const { store } = ctx;
  const m = path.match(/^\/v1\/(customers|subscriptions|checkout\/sessions)\/([^/]+)$/);
  const r = m ? `${method} /${m[1]}/:id` : `${method} ${path.slice(3)}`;
  const id = m?.[2];
  switch (r) {
    case "POST /customers": {
      const c: StripeObject = { id: newId("cus"), object: "customer", email: str(p.email) ?? null, name: str(p.name) ?? null, metadata: meta(p.metadata), created: nowSec(), livemode: false };
      store.customers.set(c.id, c);
      return c;
    }
    case "GET /customers/:id":
      return store.customers.get(id!) ?? throwIt(notFound("customer", id!));
    case "POST /products": {
      const pr: StripeObject = { id: newId("prod"), object: "product", name: str(p.name) ?? "", active: true, metadata: meta(p.metadata), created: nowSec(), livemode: false };
      store.products.set(pr.id, pr);
      return pr;
    }
    case "GET /products":
      return list("/v1/products", [...store.products.values()]);
    case "POST /prices": {
      const lookup = str(p.lookup_key);
      if (lookup && store.priceByLookupKey(lookup) && str(p.transfer_lookup_key) !== "true") {
        throw new StripeHttpError(400, "invalid_request_error", `A price (${store.priceByLookupKey(lookup)!.id}) already uses that lookup key.`, "lookup_key_already_exists", "lookup_key");
      }
      const product = str(p.product);
      if (!product || !store.products.has(product)) throw notFound("product", product ?? "");
      const rec = obj(p.recurring);
      const amount = str(p.unit_amount);
      const price: StripeObject = {
        id: newId("price"),
        object: "price",
        active: true,
        currency: str(p.currency) ?? "usd",
        product,
        lookup_key: lookup ?? null,
        unit_amount: amount ? Number(amount) : null,
        unit_amount_decimal: str(p.unit_amount_decimal) ?? amount ?? null,
        type: Object.keys(rec).length ? "recurring" : "one_time",
        recurring: Object.keys(rec).length ? { interval: str(rec.interval) ?? "month", interval_count: 1, usage_type: str(rec.usage_type) ?? "licensed", meter: str(rec.meter) ?? null } : null,
        metadata: meta(p.metadata),
        created: nowSec(),
        livemode: false,
      };
      store.prices.set(price.id, price);
      return price;
    }
    case "GET /prices": {
      const keys = arr(p.lookup_keys).map(String);
      return list("/v1/prices", [...store.prices.values()].filter((x) => keys.length === 0 || keys.includes(String(x.lookup_key))));
    }
    case "GET /billing/meters":
      return list("/v1/billing/meters", [...store.meters.values()]);
    case "POST /billing/meters": {
      const m: StripeObject = {
        id: newId("mtr"),
        object: "billing.meter",
        display_name: str(p.display_name) ?? "",
        event_name: str(p.event_name) ?? "",
        status: "active",
        default_aggregation: { formula: str(obj(p.default_aggregation).formula) ?? "sum" },
        customer_mapping: { event_payload_key: "stripe_customer_id", type: "by_id" },
        value_settings: { event_payload_key: "value" },
        created: nowSec(),
        livemode: false,
      };
      store.meters.set(m.id, m);
      return m;
    }
    case "POST /billing/meter_events":
      return meterEvent(store, p);
    case "POST /checkout/sessions": {
      const customer = str(p.customer);
      if (!customer || !store.customers.has(customer)) throw notFound("customer", customer ?? "");
      const items = arr(p.line_items).map((i) => str(obj(i).price) ?? "");
      for (const price of items) if (!store.prices.has(price)) throw notFound("price", price);
      const s: StripeObject = {
        id: newId("cs_test"),
        object: "checkout.session",
        mode: str(p.mode) ?? "subscription",
        customer,
        client_reference_id: str(p.client_reference_id) ?? null,
        metadata: meta(p.metadata),
        status: "open",
        payment_status: "unpaid",
        success_url: str(p.success_url) ?? null,
        cancel_url: str(p.cancel_url) ?? null,
        subscription: null,
        created: nowSec(),
        expires_at: nowSec() + 86_400,
        livemode: false,
        // Not in Stripe's object: what Pay subscribes to.
        _prices: items,
        _trial_days: Number(str(obj(p.subscription_data).trial_period_days) ?? 0),
        _sub_metadata: meta(obj(p.subscription_data).metadata),
      };
      s.url = `${ctx.baseUrl}/checkout/${s.id}`;
      store.checkoutSessions.set(s.id, s);
      return publicView(s);
    }
    case "GET /checkout/sessions/:id": {
      const s = store.checkoutSessions.get(id!);
      return s ? publicView(s) : throwIt(notFound("checkout.session", id!));
    }
    case "POST /billing_portal/sessions": {
      const customer = str(p.customer);
      if (!customer || !store.customers.has(customer)) throw notFound("customer", customer ?? "");
      const s: StripeObject = { id: newId("bps"), object: "billing_portal.session", customer, return_url: str(p.return_url) ?? null, created: nowSec(), livemode: false };
      s.url = `${ctx.baseUrl}/portal/${s.id}`;
      store.portalSessions.set(s.id, s);
      return s;
    }
    case "GET /subscriptions/:id":
      return store.subscriptions.get(id!) ?? throwIt(notFound("subscription", id!));
    case "POST /subscriptions/:id": {
      const sub = store.subscriptions.get(id!) ?? throwIt(notFound("subscription", id!));
      if (str(p.cancel_at_period_end) !== undefined) sub.cancel_at_period_end = str(p.cancel_at_period_end) === "true";
      ctx.emit([store.event("customer.subscription.updated", sub)]);
      return sub;
    }
    case "DELETE /subscriptions/:id": {
      const sub = store.subscriptions.get(id!) ?? throwIt(notFound("subscription", id!));
      Object.assign(sub, { status: "canceled", canceled_at: nowSec(), ended_at: nowSec() });
      ctx.emit([store.event("customer.subscription.deleted", sub)]);
      return sub;
    }
    default:
      return null;
  }
}

function meterEvent(store: StandinStore, p: Record<string, FormValue>): StripeObject {
  const eventName = str(p.event_name);
  if (![...store.meters.values()].some((m) => m.event_name === eventName)) {
    throw new StripeHttpError(400, "invalid_request_error", `No active meter was found for event_name ${eventName}.`, "resource_missing", "event_name");
  }
  const payload = obj(p.payload);
  const customer = str(payload.stripe_customer_id) ?? "";
  if (!store.customers.has(customer)) throw notFound("customer", customer);
  const value = Number(str(payload.value));
  if (!Number.isFinite(value)) throw new StripeHttpError(400, "invalid_request_error", "payload[value] must be a number.", "parameter_invalid", "payload[value]");
  const identifier = str(p.identifier) ?? newId("mev");
  if (store.meterEvents.has(identifier)) {
    throw new StripeHttpError(400, "invalid_request_error", `An event already exists with identifier ${identifier}.`, "resource_already_exists", "identifier");
  }
  const timestamp = Number(str(p.timestamp) ?? nowSec());
  store.meterEventAcceptances++;
  store.meterEvents.set(identifier, { identifier, event_name: eventName!, customer, value, timestamp });
  return { id: identifier, object: "billing.meter_event", event_name: eventName!, identifier, payload: { stripe_customer_id: customer, value: String(value) }, timestamp, created: nowSec(), livemode: false };
}

/** A session without the stand-in's own `_` fields. */
export function publicView(s: StripeObject): StripeObject {
  return Object.fromEntries(Object.entries(s).filter(([k]) => !k.startsWith("_"))) as StripeObject;
}

function throwIt(e: Error): never {
  throw e;
}
