import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createStripe } from "@/lib/billing/stripe-client";
import { setupStripeCatalog } from "@/lib/billing/setup";
import { startStripeStandin } from "./server";

describe("the Stripe stand-in", () => {
  it("keeps its state in a file across restarts, and the catalog setup stays idempotent", async () => {
    const stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "standin-")), "state.json");
    const first = await startStripeStandin({ webhookSecret: "whsec_x", stateFile });
    const stripe1 = createStripe({ secretKey: "sk_test_x", apiBase: first.url });
    const setup = await setupStripeCatalog(stripe1);
    expect(setup.prices.every((p) => p.created)).toBe(true);
    const customer = await stripe1.customers.create({ metadata: { team_id: "t" } });
    await first.close();

    const second = await startStripeStandin({ webhookSecret: "whsec_x", stateFile });
    const stripe2 = createStripe({ secretKey: "sk_test_x", apiBase: second.url });
    expect((await stripe2.customers.retrieve(customer.id)).id).toBe(customer.id);
    const again = await setupStripeCatalog(stripe2);
    expect(again.prices.map((p) => [p.id, p.created])).toEqual(setup.prices.map((p) => [p.id, false]));
    expect(again.meter).toEqual({ id: setup.meter.id, created: false });
    await expect(stripe2.customers.retrieve("cus_unknown")).rejects.toMatchObject({ statusCode: 404, type: "StripeInvalidRequestError" });
    await second.close();
  });

  it("refuses requests without a secret key", async () => {
    const s = await startStripeStandin({ webhookSecret: "whsec_x" });
    const res = await fetch(`${s.url}/v1/customers`, { method: "POST" });
    expect(res.status).toBe(401);
    expect((await res.json()).error.type).toBe("invalid_request_error");
    await s.close();
  });
});
