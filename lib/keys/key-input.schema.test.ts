import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  DEFAULT_KEY_SCOPES,
  KEY_SCOPES,
  createKeyInputSchema,
  keyScopeSchema,
  updateKeyInputSchema,
  type CreateKeyInput,
  type UpdateKeyInput,
} from "@/lib/keys/key-input.schema";

const NOW = new Date("2030-06-15T12:00:00.000Z");
const DAY = 24 * 60 * 60 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

function issues(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => ({ path: i.path, message: i.message }));
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("scopes", () => {
  it("exports the five scopes", () => {
    expect(KEY_SCOPES).toEqual(["ping", "validate", "audit:read", "audit:write", "keys:manage"]);
    expect(keyScopeSchema.safeParse("ping").success).toBe(true);
    expect(keyScopeSchema.safeParse("admin").success).toBe(false);
  });

  it("defaults to all four scopes on create", () => {
    const out = createKeyInputSchema.parse({ name: "k" });
    expect(out.scopes).toEqual(["ping", "validate", "audit:read", "audit:write"]);
  });

  it("does not share the default array between parses", () => {
    const a = createKeyInputSchema.parse({ name: "a" });
    a.scopes.pop();
    expect(createKeyInputSchema.parse({ name: "b" }).scopes).toHaveLength(4);
  });

  it("accepts an explicit subset", () => {
    expect(createKeyInputSchema.parse({ name: "k", scopes: ["ping"] }).scopes).toEqual(["ping"]);
  });

  it("rejects empty, duplicate and unknown scopes", () => {
    expect(issues(createKeyInputSchema.safeParse({ name: "k", scopes: [] }))).toEqual([
      { path: ["scopes"], message: "Select at least one scope." },
    ]);
    expect(issues(createKeyInputSchema.safeParse({ name: "k", scopes: ["ping", "ping"] }))).toEqual([
      { path: ["scopes"], message: "Each scope may only be listed once." },
    ]);
    expect(issues(createKeyInputSchema.safeParse({ name: "k", scopes: ["ping", "admin"] }))[0]!.path).toEqual([
      "scopes",
      1,
    ]);
  });
});

describe("createKeyInputSchema: basics", () => {
  it("parses a minimal input with defaults", () => {
    const out: CreateKeyInput = createKeyInputSchema.parse({ name: "  Production  " });
    expect(out).toEqual({
      name: "Production",
      scopes: [...DEFAULT_KEY_SCOPES],
      ip_allowlist: [],
    });
  });

  it("parses a full input", () => {
    const out = createKeyInputSchema.parse({
      name: "Prod",
      description: " Main backend ",
      expires_at: iso(NOW.getTime() + 30 * DAY),
      scopes: ["ping", "validate"],
      rate_limit_per_minute: 600,
      ip_allowlist: ["203.0.113.0/24", "2001:DB8::1"],
      use_cap: 1000,
    });
    expect(out).toEqual({
      name: "Prod",
      description: "Main backend",
      expires_at: "2030-07-15T12:00:00.000Z",
      scopes: ["ping", "validate"],
      rate_limit_per_minute: 600,
      ip_allowlist: ["203.0.113.0/24", "2001:db8::1"],
      use_cap: 1000,
    });
  });

  it("validates name length after trimming", () => {
    expect(createKeyInputSchema.safeParse({}).success).toBe(false);
    expect(issues(createKeyInputSchema.safeParse({ name: "   " }))).toEqual([
      { path: ["name"], message: "Name is required." },
    ]);
    expect(createKeyInputSchema.safeParse({ name: "x".repeat(64) }).success).toBe(true);
    expect(createKeyInputSchema.safeParse({ name: ` ${"x".repeat(64)} ` }).success).toBe(true);
    expect(issues(createKeyInputSchema.safeParse({ name: "x".repeat(65) }))[0]!.path).toEqual(["name"]);
  });

  it("turns an empty description into undefined and caps its length", () => {
    expect(createKeyInputSchema.parse({ name: "k", description: "" }).description).toBeUndefined();
    expect(createKeyInputSchema.parse({ name: "k", description: "   " }).description).toBeUndefined();
    expect(createKeyInputSchema.parse({ name: "k", description: "x".repeat(500) }).description).toHaveLength(500);
    expect(issues(createKeyInputSchema.safeParse({ name: "k", description: "x".repeat(501) }))[0]!.path).toEqual([
      "description",
    ]);
  });

  it("bounds rate_limit_per_minute to whole numbers 1..10000", () => {
    for (const v of [1, 60, 10_000]) {
      expect(createKeyInputSchema.parse({ name: "k", rate_limit_per_minute: v }).rate_limit_per_minute).toBe(v);
    }
    for (const v of [0, -1, 10_001, 1.5, "100", null, Number.NaN]) {
      const r = createKeyInputSchema.safeParse({ name: "k", rate_limit_per_minute: v });
      expect(issues(r)[0]!.path, String(v)).toEqual(["rate_limit_per_minute"]);
    }
  });

  it("bounds use_cap to whole numbers 1..1e9 and allows null", () => {
    expect(createKeyInputSchema.parse({ name: "k", use_cap: null }).use_cap).toBeNull();
    expect(createKeyInputSchema.parse({ name: "k", use_cap: 1 }).use_cap).toBe(1);
    expect(createKeyInputSchema.parse({ name: "k", use_cap: 1_000_000_000 }).use_cap).toBe(1_000_000_000);
    for (const v of [0, 1_000_000_001, 2.5, "5"]) {
      expect(issues(createKeyInputSchema.safeParse({ name: "k", use_cap: v }))[0]!.path).toEqual(["use_cap"]);
    }
  });
});

describe("expires_at window", () => {
  const parseExpiry = (expires_at: unknown) => createKeyInputSchema.safeParse({ name: "k", expires_at });

  it("is optional and nullable", () => {
    expect(parseExpiry(undefined).success).toBe(true);
    expect(createKeyInputSchema.parse({ name: "k", expires_at: null }).expires_at).toBeNull();
  });

  it("accepts times in the future up to 365 days ahead", () => {
    expect(parseExpiry(iso(NOW.getTime() + 1000)).success).toBe(true);
    expect(parseExpiry(iso(NOW.getTime() + DAY)).success).toBe(true);
    expect(parseExpiry(iso(NOW.getTime() + 365 * DAY)).success).toBe(true);
  });

  it("accepts explicit offsets and applies the window to the instant", () => {
    expect(parseExpiry("2030-06-16T12:00:00+02:00").success).toBe(true);
    // 12:30+02:00 is 10:30Z, which is in the past relative to NOW.
    expect(issues(parseExpiry("2030-06-15T12:30:00+02:00"))).toEqual([
      { path: ["expires_at"], message: "Expiry must be in the future." },
    ]);
  });

  it("rejects now and the past", () => {
    expect(issues(parseExpiry(iso(NOW.getTime())))).toEqual([
      { path: ["expires_at"], message: "Expiry must be in the future." },
    ]);
    expect(issues(parseExpiry(iso(NOW.getTime() - DAY)))).toEqual([
      { path: ["expires_at"], message: "Expiry must be in the future." },
    ]);
  });

  it("rejects more than 365 days ahead", () => {
    expect(issues(parseExpiry(iso(NOW.getTime() + 365 * DAY + 1000)))).toEqual([
      { path: ["expires_at"], message: "Expiry can be at most 365 days from now." },
    ]);
    expect(issues(parseExpiry(iso(NOW.getTime() + 2 * 365 * DAY)))[0]!.message).toMatch(/365 days/);
  });

  it("measures the window from the time of parsing, not module load", () => {
    const target = iso(NOW.getTime() + 300 * DAY);
    expect(parseExpiry(target).success).toBe(true);
    vi.setSystemTime(new Date(NOW.getTime() + 301 * DAY));
    expect(issues(parseExpiry(target))[0]!.message).toBe("Expiry must be in the future.");
    vi.setSystemTime(new Date(NOW.getTime() - 100 * DAY));
    expect(issues(parseExpiry(target))[0]!.message).toMatch(/365 days/);
  });

  it("rejects non-ISO and zone-less values", () => {
    for (const v of ["tomorrow", "2030-07-01", "2030-07-01T12:00:00", "07/01/2030", 1900000000000, ""]) {
      expect(issues(parseExpiry(v))[0]!.path, String(v)).toEqual(["expires_at"]);
    }
  });
});

describe("ip_allowlist", () => {
  it("defaults to an empty list", () => {
    expect(createKeyInputSchema.parse({ name: "k" }).ip_allowlist).toEqual([]);
  });

  it("canonicalises and dedupes valid entries", () => {
    const out = createKeyInputSchema.parse({
      name: "k",
      ip_allowlist: [" 10.0.0.0/8 ", "10.0.0.0/8", "::FFFF:1.2.3.4", "203.0.113.7/32"],
    });
    expect(out.ip_allowlist).toEqual(["10.0.0.0/8", "::ffff:1.2.3.4", "203.0.113.7"]);
  });

  it("reports each bad entry at [ip_allowlist, index] with its message", () => {
    const r = createKeyInputSchema.safeParse({
      name: "k",
      ip_allowlist: ["203.0.113.7", "10.0.0.300", "10.0.0.1/8", "::1", "1.2.3.4/33"],
    });
    const got = issues(r);
    expect(got).toHaveLength(3);
    expect(got[0]).toEqual({
      path: ["ip_allowlist", 1],
      message: '"10.0.0.300" is not a valid IPv4 or IPv6 address or CIDR range.',
    });
    expect(got[1]!.path).toEqual(["ip_allowlist", 2]);
    expect(got[1]!.message).toContain('use "10.0.0.0/8"');
    expect(got[2]!.path).toEqual(["ip_allowlist", 4]);
    expect(got[2]!.message).toMatch(/prefix/);
  });

  it("reports allowlist issues alongside other field issues", () => {
    const r = createKeyInputSchema.safeParse({ name: "", ip_allowlist: ["nope"] });
    const paths = issues(r).map((i) => i.path);
    expect(paths).toContainEqual(["name"]);
    expect(paths).toContainEqual(["ip_allowlist", 0]);
  });

  it("rejects non-string entries with a path", () => {
    const r = createKeyInputSchema.safeParse({ name: "k", ip_allowlist: ["1.2.3.4", 5] });
    expect(issues(r)[0]!.path).toEqual(["ip_allowlist", 1]);
  });

  it("enforces the 50-entry limit", () => {
    const many = Array.from({ length: 51 }, (_, i) => `10.0.${i}.0/24`);
    const got = issues(createKeyInputSchema.safeParse({ name: "k", ip_allowlist: many }));
    expect(got).toEqual([{ path: ["ip_allowlist", 50], message: expect.stringMatching(/at most 50/) }]);
  });
});

describe("updateKeyInputSchema", () => {
  it("requires at least one field", () => {
    expect(issues(updateKeyInputSchema.safeParse({}))).toEqual([
      { path: [], message: "Provide at least one field to update." },
    ]);
    // Unknown keys are stripped, so they do not count as a field.
    expect(updateKeyInputSchema.safeParse({ nmae: "typo" }).success).toBe(false);
  });

  it("accepts any single field", () => {
    const samples: Record<string, unknown>[] = [
      { name: "renamed" },
      { description: "hello" },
      { expires_at: iso(NOW.getTime() + DAY) },
      { expires_at: null },
      { scopes: ["ping"] },
      { rate_limit_per_minute: 5 },
      { ip_allowlist: [] },
      { ip_allowlist: ["1.2.3.4"] },
      { use_cap: null },
      { use_cap: 10 },
    ];
    for (const s of samples) expect(updateKeyInputSchema.safeParse(s).success, JSON.stringify(s)).toBe(true);
  });

  it("does not fill in create defaults", () => {
    const out: UpdateKeyInput = updateKeyInputSchema.parse({ name: "renamed" });
    expect(out).toEqual({ name: "renamed" });
    expect(out.scopes).toBeUndefined();
    expect(out.ip_allowlist).toBeUndefined();
  });

  it("treats an empty description as clearing it", () => {
    expect(updateKeyInputSchema.parse({ description: "" })).toEqual({ description: null });
    expect(updateKeyInputSchema.parse({ description: null })).toEqual({ description: null });
  });

  it("applies the same field rules as create", () => {
    expect(issues(updateKeyInputSchema.safeParse({ name: "  " }))[0]!.path).toEqual(["name"]);
    expect(issues(updateKeyInputSchema.safeParse({ scopes: [] }))[0]!.path).toEqual(["scopes"]);
    expect(issues(updateKeyInputSchema.safeParse({ expires_at: iso(NOW.getTime() - 1) }))).toEqual([
      { path: ["expires_at"], message: "Expiry must be in the future." },
    ]);
    expect(issues(updateKeyInputSchema.safeParse({ expires_at: iso(NOW.getTime() + 366 * DAY) }))[0]!.message).toMatch(
      /365 days/,
    );
    expect(issues(updateKeyInputSchema.safeParse({ rate_limit_per_minute: 10_001 }))[0]!.path).toEqual([
      "rate_limit_per_minute",
    ]);
    expect(issues(updateKeyInputSchema.safeParse({ ip_allowlist: ["1.2.3.4", "bad"] }))).toEqual([
      { path: ["ip_allowlist", 1], message: '"bad" is not a valid IPv4 or IPv6 address or CIDR range.' },
    ]);
  });
});
