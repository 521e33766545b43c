import { describe, expect, it } from "vitest";
import { stripeRedirectOrigins } from "./redirect-origins";

describe("stripeRedirectOrigins", () => {
  it("is empty without Stripe, the stand-in's origin with STRIPE_API_BASE, Stripe's hosted pages otherwise", () => {
    expect(stripeRedirectOrigins({ STRIPE_SECRET_KEY: undefined, STRIPE_API_BASE: "http://127.0.0.1:12111" })).toEqual([]);
    expect(stripeRedirectOrigins({ STRIPE_SECRET_KEY: "sk_test_x", STRIPE_API_BASE: "http://127.0.0.1:12111/v1" })).toEqual(["http://127.0.0.1:12111"]);
    expect(stripeRedirectOrigins({ STRIPE_SECRET_KEY: "sk_live_x", STRIPE_API_BASE: undefined })).toEqual(["https://checkout.stripe.com", "https://billing.stripe.com"]);
  });
});
