// No "server-only": `npm run stripe:setup` runs it outside Next.
import Stripe from "stripe";
import { CATALOG, CURRENCY, METER_EVENT_NAME } from "./catalog";

export interface SetupResult {
  meter: { id: string; created: boolean };
  prices: { lookupKey: string; id: string; created: boolean }[];
}

/**
 * Creates what Llavero sells in a Stripe account (or the stand-in): the overage meter, one
 * product per paid plan, its monthly base price and its metered overage price. Idempotent:
 * everything is found again by event name, product metadata and price lookup key, so running
 * it twice creates nothing the second time.
 */
export async function setupStripeCatalog(stripe: Stripe): Promise<SetupResult> {
  const meters = await stripe.billing.meters.list({ status: "active", limit: 100 });
  let meter = meters.data.find((m) => m.event_name === METER_EVENT_NAME);
  const meterCreated = !meter;
  meter ??= await stripe.billing.meters.create({
    display_name: "Llavero API overage calls",
    event_name: METER_EVENT_NAME,
    default_aggregation: { formula: "sum" },
    customer_mapping: { event_payload_key: "stripe_customer_id", type: "by_id" },
    value_settings: { event_payload_key: "value" },
  });

  const prices: SetupResult["prices"] = [];
  const products = await stripe.products.list({ limit: 100, active: true });
  for (const c of CATALOG) {
    const existing = await stripe.prices.list({ lookup_keys: [c.baseLookupKey, c.overageLookupKey], limit: 10 });
    const byKey = new Map(existing.data.map((p) => [p.lookup_key, p]));
    let productId = products.data.find((p) => p.metadata?.llavero_plan === c.plan)?.id;
    if (!productId && (!byKey.has(c.baseLookupKey) || !byKey.has(c.overageLookupKey))) {
      productId = (await stripe.products.create({ name: c.productName, metadata: { llavero_plan: c.plan } })).id;
    }
    const base = byKey.get(c.baseLookupKey);
    prices.push(
      base
        ? { lookupKey: c.baseLookupKey, id: base.id, created: false }
        : {
            lookupKey: c.baseLookupKey,
            id: (await stripe.prices.create({ product: productId!, currency: CURRENCY, unit_amount: c.baseUnitAmount, recurring: { interval: "month" }, lookup_key: c.baseLookupKey })).id,
            created: true,
          },
    );
    const over = byKey.get(c.overageLookupKey);
    prices.push(
      over
        ? { lookupKey: c.overageLookupKey, id: over.id, created: false }
        : {
            lookupKey: c.overageLookupKey,
            id: (
              await stripe.prices.create({
                product: productId!,
                currency: CURRENCY,
                unit_amount_decimal: Stripe.Decimal.from(c.overageUnitAmountDecimal),
                recurring: { interval: "month", usage_type: "metered", meter: meter.id },
                lookup_key: c.overageLookupKey,
              })
            ).id,
            created: true,
          },
    );
  }
  return { meter: { id: meter.id, created: meterCreated }, prices };
}
