import { describe, expect, it } from "vitest";
import { newNonce, pageCsp } from "./csp";

const directive = (csp: string, name: string) => csp.split("; ").find((d) => d.startsWith(`${name} `));

describe("pageCsp", () => {
  it("allows scripts only with the nonce, and forbids framing, plugins and foreign forms", () => {
    const csp = pageCsp({ nonce: "abc123==", dev: false });
    expect(directive(csp, "script-src")).toBe("script-src 'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(directive(csp, "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(directive(csp, "object-src")).toBe("object-src 'none'");
    expect(directive(csp, "form-action")).toBe("form-action 'self'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toContain("upgrade-insecure-requests");
  });

  it("adds eval and websockets only in development, Supabase's origin only in Supabase mode", () => {
    const csp = pageCsp({ nonce: "n", dev: true, supabaseUrl: "https://proj.supabase.co/auth/v1", https: true });
    expect(directive(csp, "script-src")).toContain("'unsafe-eval'");
    expect(directive(csp, "connect-src")).toBe("connect-src 'self' https://proj.supabase.co ws: wss:");
    expect(csp).toContain("upgrade-insecure-requests");
  });
});

describe("pageCsp form-action", () => {
  it("lets forms lead only to our own origin plus the origins it is given (Stripe's Checkout and portal)", () => {
    const csp = pageCsp({ nonce: "n", dev: false, formActionOrigins: ["https://checkout.stripe.com", "https://billing.stripe.com"] });
    expect(directive(csp, "form-action")).toBe("form-action 'self' https://checkout.stripe.com https://billing.stripe.com");
  });
});

describe("newNonce", () => {
  it("is 128 random bits in base64, different every time", () => {
    const a = newNonce();
    expect(Buffer.from(a, "base64")).toHaveLength(16);
    expect(newNonce()).not.toBe(a);
  });
});
