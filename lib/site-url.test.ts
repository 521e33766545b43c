import { afterEach, describe, expect, it } from "vitest";
import { env, resetEnvCache } from "@/lib/env";
import { absoluteUrl, siteOrigin } from "./site-url";

describe("absoluteUrl", () => {
  const saved = { APP_URL: process.env.APP_URL, PORT: process.env.PORT };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvCache();
  });

  function withEnv(vars: Record<string, string | undefined>) {
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvCache();
    return env();
  }

  it("uses APP_URL's origin when set, whatever port the server listens on", () => {
    const e = withEnv({ APP_URL: "https://portal.example.com/ignored/path", PORT: "3999" });
    expect(siteOrigin(e)).toBe("https://portal.example.com");
    expect(absoluteUrl("/invite/abc?x=1", e)).toBe("https://portal.example.com/invite/abc?x=1");
  });

  it("defaults to http://localhost:PORT", () => {
    const e = withEnv({ APP_URL: undefined, PORT: "4123" });
    expect(absoluteUrl("/keys", e)).toBe("http://localhost:4123/keys");
  });

  it.each(["//evil.example/x", "https://evil.example/", "keys", "/\\evil.example"])("refuses %s, which is not site-relative", (p) => {
    const e = withEnv({ APP_URL: "https://portal.example.com" });
    expect(() => absoluteUrl(p, e)).toThrow(RangeError);
  });

  it("refuses an APP_URL that is not http(s)", () => {
    expect(() => withEnv({ APP_URL: "javascript:alert(1)" })).toThrow(/APP_URL/);
  });
});
