import type { StandinStore, StripeObject } from "./store";

const esc = (s: unknown) => String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function shell(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#18181b}
.note{background:#fef3c7;border:1px solid #f59e0b;padding:.5rem .75rem;border-radius:.375rem;font-size:.875rem}
button{font:inherit;padding:.5rem 1rem;border-radius:.375rem;border:1px solid #3f3f46;cursor:pointer;margin-right:.5rem}
.pay{background:#4f46e5;color:#fff;border-color:#4f46e5}li{margin:.25rem 0}</style></head><body>
<p class="note">Stripe stand-in: nothing is charged. Real Stripe shows its own page here.</p>${body}</body></html>`;
}

/** The Checkout page a Checkout session's url points at: what is bought, Pay and Cancel. */
export function checkoutPage(store: StandinStore, s: StripeObject): string {
  const prices = (s._prices as string[]).map((id) => store.prices.get(id)).filter(Boolean) as StripeObject[];
  const lines = prices
    .map((p) => {
      const product = store.products.get(String(p.product));
      const metered = (p.recurring as { usage_type?: string } | null)?.usage_type === "metered";
      const amount = metered ? `${esc(p.unit_amount_decimal)}¢ per call over the quota` : `$${(Number(p.unit_amount) / 100).toFixed(2)} / month`;
      return `<li>${esc(product?.name)}: ${amount}</li>`;
    })
    .join("");
  const trial = Number(s._trial_days) > 0 ? `<p><strong>${Number(s._trial_days)}-day free trial.</strong> Nothing is due today.</p>` : "";
  const open = s.status === "open";
  return shell(
    "Checkout",
    `<h1>Checkout</h1><ul>${lines}</ul>${trial}
${open ? `<form method="post" action="/checkout/${esc(s.id)}/pay" style="display:inline"><button class="pay" type="submit">Pay</button></form>
<form method="post" action="/checkout/${esc(s.id)}/cancel" style="display:inline"><button type="submit">Cancel</button></form>` : `<p>This session is ${esc(s.status)}.</p>`}`,
  );
}

/** The customer portal: the subscription, cancel at period end, and the way back. */
export function portalPage(s: StripeObject, sub: StripeObject | undefined): string {
  const info = sub
    ? `<p>Subscription <code>${esc(sub.id)}</code>: <strong>${esc(sub.status)}</strong>${sub.cancel_at_period_end ? " (cancels at period end)" : ""}</p>
${sub.cancel_at_period_end || sub.status === "canceled" ? "" : `<form method="post" action="/portal/${esc(s.id)}/cancel"><button type="submit">Cancel plan</button></form>`}`
    : "<p>No subscription.</p>";
  return shell("Billing portal", `<h1>Billing portal</h1>${info}<p><a href="${esc(s.return_url)}">Return to Llavero</a></p>`);
}
