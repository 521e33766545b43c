import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { handleApi, publicView, StripeHttpError } from "./api";
import { parseForm } from "./form";
import { checkoutPage, portalPage } from "./pages";
import { nowSec, StandinStore, type StripeObject } from "./store";

/**
 * A small stateful stand-in for the parts of Stripe Llavero uses, for development and tests
 * with no network: the real `stripe` SDK talks to it through STRIPE_API_BASE. It answers in
 * Stripe's documented shapes, serves a Checkout page (Pay / Cancel) and a portal page, and
 * posts webhooks signed exactly as Stripe does (the SDK's generateTestHeaderString).
 *
 * Control endpoints (JSON, no auth; 127.0.0.1 only), `:sub` may be `latest`:
 *   POST /_standin/subscriptions/:sub/payment_failed   past_due + invoice.payment_failed
 *   POST /_standin/subscriptions/:sub/renew            next period paid (active) + invoice.paid
 *   POST /_standin/subscriptions/:sub/cancel           canceled now + customer.subscription.deleted
 *   POST /_standin/faults {meter_event_failure_rate, statuses, accept_then_fail_rate}
 *   GET  /_standin/state                               customers, subscriptions, meter events, deliveries
 */
export interface StandinOptions {
  port?: number;
  host?: string;
  webhookSecret: string;
  /** Where events are posted; unset = not delivered (kept in state only). */
  webhookUrl?: string;
  /** Delay before delivering an event batch, like Stripe's own lag. */
  deliveryDelayMs?: number;
  random?: () => number;
  /** Keep state in this JSON file (loaded at start, written after every change); unset = memory only. */
  stateFile?: string;
}

export interface Faults {
  /** Share of meter-event requests refused before doing anything (500 or 429). */
  meter_event_failure_rate: number;
  statuses: number[];
  /** Share of meter-event requests accepted and then answered 500 (a lost answer). */
  accept_then_fail_rate: number;
}

export interface Delivery {
  event: string;
  type: string;
  status: number | null;
  error?: string;
}

export interface Standin {
  url: string;
  port: number;
  store: StandinStore;
  faults: Faults;
  deliveries: Delivery[];
  /** Resolves when every queued webhook delivery has been attempted. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const signer = new Stripe("sk_test_standin_signer");

export async function startStripeStandin(opts: StandinOptions): Promise<Standin> {
  const store = opts.stateFile && fs.existsSync(opts.stateFile) ? StandinStore.fromJSON(JSON.parse(fs.readFileSync(opts.stateFile, "utf8")) as Record<string, unknown>) : new StandinStore();
  const save = () => {
    if (opts.stateFile) fs.writeFileSync(opts.stateFile, JSON.stringify(store));
  };
  const faults: Faults = { meter_event_failure_rate: 0, statuses: [500, 429], accept_then_fail_rate: 0 };
  const deliveries: Delivery[] = [];
  const idempotent = new Map<string, { status: number; body: string }>();
  // Looked up per call, so a test may seed Math.random after start.
  const random = () => (opts.random ?? Math.random)();
  let pending = Promise.resolve();
  let baseUrl = "";

  const deliver = async (event: StripeObject) => {
    if (!opts.webhookUrl) return;
    const payload = JSON.stringify(event, null, 2);
    const header = signer.webhooks.generateTestHeaderString({ payload, secret: opts.webhookSecret, timestamp: nowSec() });
    try {
      const res = await fetch(opts.webhookUrl, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": header }, body: payload });
      await res.text();
      deliveries.push({ event: event.id, type: String(event.type), status: res.status });
    } catch (err) {
      deliveries.push({ event: event.id, type: String(event.type), status: null, error: (err as Error).message });
    }
  };
  const emit = (events: StripeObject[]) => {
    pending = pending.then(async () => {
      if (opts.deliveryDelayMs) await new Promise((r) => setTimeout(r, opts.deliveryDelayMs));
      for (const e of events) await deliver(e);
    });
  };

  const subscriptionFor = (ref: string) => (ref === "latest" ? [...store.subscriptions.values()].at(-1) : store.subscriptions.get(ref));

  function control(method: string, path: string, body: Record<string, unknown>): { status: number; body: unknown } | null {
    if (method === "GET" && path === "/_standin/state") {
      return { status: 200, body: { customers: [...store.customers.values()], subscriptions: [...store.subscriptions.values()], meter_events: [...store.meterEvents.values()], deliveries, faults } };
    }
    if (method === "POST" && path === "/_standin/faults") {
      Object.assign(faults, body);
      return { status: 200, body: faults };
    }
    const m = path.match(/^\/_standin\/subscriptions\/([^/]+)\/(payment_failed|renew|cancel)$/);
    if (!m || method !== "POST") return null;
    const sub = subscriptionFor(m[1]!);
    if (!sub) return { status: 404, body: { error: { type: "invalid_request_error", message: "No such subscription." } } };
    if (m[2] === "payment_failed") {
      sub.status = "past_due";
      const inv = store.createInvoice(sub, false, "subscription_cycle");
      emit([store.event("invoice.payment_failed", inv), store.event("customer.subscription.updated", sub)]);
    } else if (m[2] === "renew") {
      Object.assign(sub, { status: "active", trial_end: sub.trial_end && Number(sub.trial_end) > nowSec() ? nowSec() : sub.trial_end });
      store.advancePeriod(sub);
      const inv = store.createInvoice(sub, true, "subscription_cycle");
      emit([store.event("invoice.paid", inv), store.event("customer.subscription.updated", sub)]);
    } else {
      Object.assign(sub, { status: "canceled", canceled_at: nowSec(), ended_at: nowSec() });
      emit([store.event("customer.subscription.deleted", sub)]);
    }
    return { status: 200, body: sub };
  }

  function pay(sessionId: string): string | null {
    const s = store.checkoutSessions.get(sessionId);
    if (!s || s.status !== "open") return null;
    const sub = store.createSubscription(String(s.customer), s._prices as string[], Number(s._trial_days), s._sub_metadata as Record<string, unknown>);
    const inv = store.createInvoice(sub, true, "subscription_create");
    Object.assign(s, { status: "complete", payment_status: sub.status === "trialing" ? "no_payment_required" : "paid", subscription: sub.id });
    emit([store.event("customer.subscription.created", sub), store.event("checkout.session.completed", publicView(s)), store.event("invoice.paid", inv)]);
    return String(s.success_url).replace("{CHECKOUT_SESSION_ID}", s.id);
  }

  const server = http.createServer((req, res) => {
    const method = req.method ?? "GET";
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (method !== "GET") res.once("finish", save);
      const raw = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://standin");
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        const text = typeof body === "string" ? body : JSON.stringify(body);
        res.writeHead(status, { "content-type": typeof body === "string" ? "text/html; charset=utf-8" : "application/json", "request-id": `req_${Date.now()}`, ...headers });
        res.end(text);
      };
      try {
        // Browser pages: Checkout and the customer portal.
        let m = url.pathname.match(/^\/checkout\/([^/]+)(?:\/(pay|cancel))?$/);
        if (m) {
          const s = store.checkoutSessions.get(m[1]!);
          if (!s) return send(404, "<h1>Unknown Checkout session</h1>");
          if (method === "POST" && m[2] === "pay") {
            const to = pay(s.id);
            return to ? send(303, "", { location: to }) : send(409, "<h1>This session is no longer open</h1>");
          }
          if (method === "POST" && m[2] === "cancel") {
            s.status = "expired";
            return send(303, "", { location: String(s.cancel_url) });
          }
          return send(200, checkoutPage(store, s));
        }
        m = url.pathname.match(/^\/portal\/([^/]+)(?:\/(cancel))?$/);
        if (m) {
          const s = store.portalSessions.get(m[1]!);
          if (!s) return send(404, "<h1>Unknown portal session</h1>");
          const sub = [...store.subscriptions.values()].filter((x) => x.customer === s.customer).at(-1);
          if (method === "POST" && m[2] === "cancel" && sub) {
            sub.cancel_at_period_end = true;
            emit([store.event("customer.subscription.updated", sub)]);
            return send(303, "", { location: `/portal/${s.id}` });
          }
          return send(200, portalPage(s, sub));
        }
        if (url.pathname.startsWith("/_standin/")) {
          const c = control(method, url.pathname, raw ? (JSON.parse(raw) as Record<string, unknown>) : {});
          return c ? send(c.status, c.body) : send(404, { error: { message: "Unknown control endpoint." } });
        }
        // The API.
        if (!/^Bearer sk_(test|live)_\S+/.test(req.headers.authorization ?? "")) {
          throw new StripeHttpError(401, "invalid_request_error", "You did not provide an API key.");
        }
        const ikey = req.headers["idempotency-key"];
        const cacheKey = typeof ikey === "string" && method === "POST" ? `${url.pathname}:${ikey}` : null;
        if (cacheKey && idempotent.has(cacheKey)) {
          const hit = idempotent.get(cacheKey)!;
          return send(hit.status, JSON.parse(hit.body), { "idempotent-replayed": "true" });
        }
        const isMeterEvent = url.pathname === "/v1/billing/meter_events";
        if (isMeterEvent && random() < faults.meter_event_failure_rate) {
          const status = faults.statuses[Math.floor(random() * faults.statuses.length)] ?? 500;
          return send(status, { error: { type: status === 429 ? "invalid_request_error" : "api_error", code: status === 429 ? "rate_limit" : undefined, message: "Injected failure." } });
        }
        const params = method === "GET" || method === "DELETE" ? parseForm(url.search.slice(1)) : parseForm(raw);
        const out = handleApi({ store, baseUrl, emit }, method, url.pathname, params);
        if (out === null) throw new StripeHttpError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${url.pathname}).`);
        if (cacheKey) idempotent.set(cacheKey, { status: 200, body: JSON.stringify(out) });
        if (isMeterEvent && random() < faults.accept_then_fail_rate) return send(500, { error: { type: "api_error", message: "Injected failure after acceptance." } });
        return send(200, out);
      } catch (err) {
        if (err instanceof StripeHttpError) return send(err.status, err.body());
        return send(500, { error: { type: "api_error", message: (err as Error).message } });
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${opts.host ?? "127.0.0.1"}:${port}`;
  return {
    url: baseUrl,
    port,
    store,
    faults,
    deliveries,
    idle: async () => {
      let last: Promise<void>;
      do {
        last = pending;
        await last;
      } while (last !== pending);
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
