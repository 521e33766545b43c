import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MAX_ALLOWLIST_ENTRIES,
  ipMatchesAllowlist,
  isIpAllowed,
  parseAllowlist,
  parseAllowlistEntry,
} from "@/lib/keys/ip-allowlist";

function ok(raw: string): string {
  const r = parseAllowlistEntry(raw);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(raw)} to be valid, got: ${r.message}`);
  return r.value;
}

function err(raw: string): string {
  const r = parseAllowlistEntry(raw);
  if (r.ok) throw new Error(`expected ${JSON.stringify(raw)} to be rejected, got ${r.value}`);
  return r.message;
}

describe("parseAllowlistEntry: accepted forms", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    ["203.0.113.0/24", "203.0.113.0/24"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["255.255.255.255", "255.255.255.255"],
    ["10.0.0.0/8", "10.0.0.0/8"],
    ["203.0.113.7/32", "203.0.113.7"],
    ["10.0.0.0/08", "10.0.0.0/8"],
    ["  203.0.113.7\t", "203.0.113.7"],
    ["2001:db8::1", "2001:db8::1"],
    ["2001:db8::/32", "2001:db8::/32"],
    ["2001:DB8::/32", "2001:db8::/32"],
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
    ["2001:db8::1/128", "2001:db8::1"],
    ["::1", "::1"],
    ["::", "::"],
    ["::/0", "::/0"],
    ["fe80::/10", "fe80::/10"],
    ["1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"],
    ["::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"],
    ["::ffff:1.2.3.4", "::ffff:1.2.3.4"],
    ["::FFFF:1.2.3.4", "::ffff:1.2.3.4"],
    ["::ffff:0102:0304", "::ffff:1.2.3.4"],
    ["::ffff:1.2.3.0/120", "::ffff:1.2.3.0/120"],
    ["64:ff9b::192.0.2.33", "64:ff9b::c000:221"],
  ])("%s -> %s", (raw, canonical) => {
    expect(ok(raw)).toBe(canonical);
  });

  it("canonical values are stable (idempotent)", () => {
    for (const raw of ["2001:DB8:0:0::/32", "::FFFF:1.2.3.4", "10.0.0.0/08", "1.2.3.4/32"]) {
      const v = ok(raw);
      expect(ok(v)).toBe(v);
    }
  });
});

describe("parseAllowlistEntry: rejected forms", () => {
  it.each([
    "10.0.0.300",
    "256.0.0.1",
    "1.2.3",
    "1.2.3.4.5",
    "1.2.3.",
    ".1.2.3",
    "01.2.3.4",
    "1.02.3.4",
    "1.2.3.00",
    "0x7f.0.0.1",
    "127.1",
    "2130706433",
    "1.2.3.4/",
    "1.2.3.4/a",
    "1.2.3.4/-1",
    "1.2.3.4/+8",
    "1.2.3.4/ 8",
    "1.2.3.4 /8",
    "1.2.3.4/8/8",
    "1.2.3.4/1000",
    "/8",
    "localhost",
    "example.com",
    "hello",
    "1.2.3.4 5.6.7.8",
    "1.2.3.4,5.6.7.8",
    "2001:db8::g",
    "2001:db8:::1",
    "1::2::3",
    "12345::1",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7",
    ":1",
    "1:",
    "fe80::1%eth0",
    "fe80::1%1/64",
    "::ffff:1.2.3.256",
    "::ffff:01.2.3.4",
    "[::1]",
    "*",
    "10.0.0.*",
  ])("rejects %j", (raw) => {
    const msg = err(raw);
    expect(msg).toContain(JSON.stringify(raw.trim()));
    expect(msg).toMatch(/\.$/);
  });

  it("uses the documented generic message", () => {
    expect(err("10.0.0.300")).toBe('"10.0.0.300" is not a valid IPv4 or IPv6 address or CIDR range.');
  });

  it("rejects empty and whitespace-only entries", () => {
    expect(err("")).toMatch(/empty/i);
    expect(err("   ")).toMatch(/empty/i);
  });

  it("rejects prefix lengths beyond the family maximum, explaining the range", () => {
    expect(err("10.0.0.0/33")).toBe(
      '"10.0.0.0/33" has an invalid prefix length: IPv4 prefixes must be between 0 and 32.',
    );
    expect(err("2001:db8::/129")).toBe(
      '"2001:db8::/129" has an invalid prefix length: IPv6 prefixes must be between 0 and 128.',
    );
    // The IPv4 ceiling is 32 even though 64 would be fine for IPv6.
    expect(err("10.0.0.0/64")).toMatch(/between 0 and 32/);
    ok("2001:db8::/64");
  });

  it("rejects CIDR ranges with host bits set and suggests the network", () => {
    const msg = err("10.0.0.1/8");
    expect(msg).toContain('"10.0.0.1/8"');
    expect(msg).toContain('use "10.0.0.0/8"');
    expect(msg).toContain('"10.0.0.1"');

    expect(err("203.0.113.7/24")).toContain('use "203.0.113.0/24"');
    expect(err("192.168.1.1/0")).toContain('use "0.0.0.0/0"');
    ok("10.0.0.128/25");
    expect(err("10.0.0.129/25")).toContain('use "10.0.0.128/25"');
    expect(err("2001:db8::1/32")).toContain('use "2001:db8::/32"');
    ok("2001:db8:8000::/33");
    expect(err("2001:db8:4000::/33")).toContain('use "2001:db8::/33"');
    expect(err("::ffff:1.2.3.4/120")).toContain('use "::ffff:1.2.3.0/120"');
  });

  it("truncates very long entries in messages", () => {
    const msg = err("x".repeat(10_000));
    expect(msg.length).toBeLessThan(200);
    expect(msg).toContain("…");
  });
});

describe("parseAllowlist", () => {
  it("accepts an empty list", () => {
    expect(parseAllowlist([])).toEqual({ ok: true, values: [] });
  });

  it("canonicalises and dedupes, keeping first-seen order", () => {
    expect(
      parseAllowlist([
        "2001:DB8::1",
        "10.0.0.0/8",
        " 10.0.0.0/8 ",
        "2001:db8:0::1",
        "203.0.113.7/32",
        "203.0.113.7",
        "10.0.0.0/08",
      ]),
    ).toEqual({ ok: true, values: ["2001:db8::1", "10.0.0.0/8", "203.0.113.7"] });
  });

  it("reports every bad entry with its index", () => {
    const r = parseAllowlist(["1.2.3.4", "nope", "10.0.0.1/8", "::1", "", "1.2.3.4/33"]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.index)).toEqual([1, 2, 4, 5]);
    expect(r.errors[0]!.message).toBe('"nope" is not a valid IPv4 or IPv6 address or CIDR range.');
    expect(r.errors[1]!.message).toContain('use "10.0.0.0/8"');
    expect(r.errors[2]!.message).toMatch(/empty/i);
    expect(r.errors[3]!.message).toMatch(/between 0 and 32/);
  });

  it(`allows exactly ${MAX_ALLOWLIST_ENTRIES} distinct entries`, () => {
    const entries = Array.from({ length: MAX_ALLOWLIST_ENTRIES }, (_, i) => `10.0.${i}.0/24`);
    const r = parseAllowlist(entries);
    expect(r.ok && r.values.length).toBe(MAX_ALLOWLIST_ENTRIES);
  });

  it("counts the limit after deduping", () => {
    const entries = Array.from({ length: MAX_ALLOWLIST_ENTRIES }, (_, i) => `10.0.${i}.0/24`);
    const r = parseAllowlist([...entries, ...entries, "10.0.0.0/24"]);
    expect(r.ok && r.values.length).toBe(MAX_ALLOWLIST_ENTRIES);
  });

  it("rejects more than the limit, pointing at the first entry over it", () => {
    const entries = Array.from({ length: MAX_ALLOWLIST_ENTRIES + 5 }, (_, i) => `10.0.${i}.0/24`);
    entries.splice(3, 0, "10.0.0.0/24"); // a duplicate does not shift the count
    const r = parseAllowlist(entries);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.index).toBe(MAX_ALLOWLIST_ENTRIES + 1);
    expect(r.errors[0]!.message).toMatch(/at most 50 entries/);
  });
});

describe("ipMatchesAllowlist", () => {
  it("matches single IPv4 addresses and ranges", () => {
    expect(ipMatchesAllowlist("203.0.113.7", ["203.0.113.7"])).toBe(true);
    expect(ipMatchesAllowlist("203.0.113.8", ["203.0.113.7"])).toBe(false);
    expect(ipMatchesAllowlist("203.0.113.7", ["203.0.113.0/24"])).toBe(true);
    expect(ipMatchesAllowlist("203.0.113.255", ["203.0.113.0/24"])).toBe(true);
    expect(ipMatchesAllowlist("203.0.114.0", ["203.0.113.0/24"])).toBe(false);
    expect(ipMatchesAllowlist("203.0.112.255", ["203.0.113.0/24"])).toBe(false);
    expect(ipMatchesAllowlist("10.200.3.4", ["10.0.0.0/8"])).toBe(true);
    expect(ipMatchesAllowlist("11.0.0.0", ["10.0.0.0/8"])).toBe(false);
    expect(ipMatchesAllowlist("8.8.8.8", ["0.0.0.0/0"])).toBe(true);
  });

  it("handles non-octet-aligned prefixes", () => {
    expect(ipMatchesAllowlist("10.0.0.127", ["10.0.0.0/25"])).toBe(true);
    expect(ipMatchesAllowlist("10.0.0.128", ["10.0.0.0/25"])).toBe(false);
    expect(ipMatchesAllowlist("172.31.255.255", ["172.16.0.0/12"])).toBe(true);
    expect(ipMatchesAllowlist("172.32.0.0", ["172.16.0.0/12"])).toBe(false);
    expect(ipMatchesAllowlist("2001:db8:7fff::1", ["2001:db8::/33"])).toBe(true);
    expect(ipMatchesAllowlist("2001:db8:8000::1", ["2001:db8::/33"])).toBe(false);
  });

  it("matches IPv6 addresses and ranges", () => {
    expect(ipMatchesAllowlist("2001:db8::1", ["2001:db8::1"])).toBe(true);
    expect(ipMatchesAllowlist("2001:DB8:0::1", ["2001:db8::1"])).toBe(true);
    expect(ipMatchesAllowlist("2001:db8::2", ["2001:db8::1"])).toBe(false);
    expect(ipMatchesAllowlist("2001:db8:ffff::1", ["2001:db8::/32"])).toBe(true);
    expect(ipMatchesAllowlist("2001:db9::1", ["2001:db8::/32"])).toBe(false);
    expect(ipMatchesAllowlist("::1", ["::1"])).toBe(true);
    expect(ipMatchesAllowlist("2001:db8::1", ["::/0"])).toBe(true);
  });

  it("matches IPv4-mapped client addresses against IPv4 entries", () => {
    expect(ipMatchesAllowlist("::ffff:203.0.113.7", ["203.0.113.0/24"])).toBe(true);
    expect(ipMatchesAllowlist("::FFFF:203.0.113.7", ["203.0.113.7"])).toBe(true);
    expect(ipMatchesAllowlist("::ffff:cb00:7107", ["203.0.113.7"])).toBe(true);
    expect(ipMatchesAllowlist("::ffff:203.0.114.7", ["203.0.113.0/24"])).toBe(false);
  });

  it("matches IPv4 client addresses against IPv4-mapped entries", () => {
    expect(ipMatchesAllowlist("1.2.3.4", ["::ffff:1.2.3.4"])).toBe(true);
    expect(ipMatchesAllowlist("1.2.3.99", ["::ffff:1.2.3.0/120"])).toBe(true);
    expect(ipMatchesAllowlist("1.2.4.1", ["::ffff:1.2.3.0/120"])).toBe(false);
    expect(ipMatchesAllowlist("::ffff:1.2.3.4", ["::ffff:1.2.3.4"])).toBe(true);
  });

  it("keeps families apart otherwise", () => {
    expect(ipMatchesAllowlist("1.2.3.4", ["::/0"])).toBe(false);
    expect(ipMatchesAllowlist("2001:db8::1", ["0.0.0.0/0"])).toBe(false);
    // IPv4-compatible (deprecated ::a.b.c.d) is not treated as IPv4.
    expect(ipMatchesAllowlist("::1.2.3.4", ["1.2.3.4"])).toBe(false);
  });

  it("checks every entry", () => {
    const list = ["10.0.0.0/8", "2001:db8::/32", "203.0.113.7"];
    expect(ipMatchesAllowlist("203.0.113.7", list)).toBe(true);
    expect(ipMatchesAllowlist("2001:db8::5", list)).toBe(true);
    expect(ipMatchesAllowlist("10.1.1.1", list)).toBe(true);
    expect(ipMatchesAllowlist("192.168.0.1", list)).toBe(false);
  });

  it("returns false for an empty list, bad client IPs and ignores bad entries", () => {
    expect(ipMatchesAllowlist("1.2.3.4", [])).toBe(false);
    expect(ipMatchesAllowlist("not-an-ip", ["0.0.0.0/0"])).toBe(false);
    expect(ipMatchesAllowlist("", ["0.0.0.0/0"])).toBe(false);
    expect(ipMatchesAllowlist("1.2.3.0/24", ["0.0.0.0/0"])).toBe(false);
    expect(ipMatchesAllowlist("01.2.3.4", ["0.0.0.0/0"])).toBe(false);
    expect(ipMatchesAllowlist("1.2.3.4", ["garbage", "1.2.3.4/33", "1.2.3.4"])).toBe(true);
    expect(ipMatchesAllowlist("1.2.3.4", ["garbage", "1.2.3.5/8"])).toBe(false);
    expect(ipMatchesAllowlist(" 1.2.3.4 ", ["1.2.3.4"])).toBe(true);
  });
});

describe("isIpAllowed", () => {
  it("treats an empty allowlist as unrestricted", () => {
    expect(isIpAllowed("1.2.3.4", [])).toBe(true);
    expect(isIpAllowed("2001:db8::1", [])).toBe(true);
  });

  it("otherwise defers to ipMatchesAllowlist", () => {
    expect(isIpAllowed("1.2.3.4", ["1.2.3.0/24"])).toBe(true);
    expect(isIpAllowed("1.2.4.4", ["1.2.3.0/24"])).toBe(false);
  });
});

// Cross-check against real PostgreSQL (PGlite), which is what the server
// stores into and matches with.
describe("agreement with PostgreSQL cidr/inet", () => {
  let db: PGlite;
  beforeAll(async () => {
    db = new PGlite();
    await db.waitReady;
  });
  afterAll(async () => {
    await db?.close();
  });

  // Deterministic PRNG so a failure is reproducible.
  let seed = 0x2f6b1d3;
  const rand = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const randomV4 = () => [0, 0, 0, 0].map(() => rand(256)).join(".");
  const randomV6 = () =>
    Array.from({ length: 8 }, () => (rand(4) === 0 ? 0 : rand(0x10000)).toString(16)).join(":");

  it("every canonical value is a cidr equal to the original input", async () => {
    const inputs = [
      "203.0.113.7",
      "203.0.113.0/24",
      "0.0.0.0/0",
      "2001:db8::1",
      "2001:0db8:0000:0000:0000:0000:0000:0001",
      "2001:db8::/32",
      "::1",
      "::",
      "::/0",
      "::ffff:1.2.3.4",
      "::ffff:1.2.3.0/120",
      "64:ff9b::192.0.2.33",
      "1:0:0:2:0:0:0:3",
      "1:0:0:2:0:0:3:4",
    ];
    for (let i = 0; i < 100; i++) inputs.push(randomV4(), randomV6());
    for (const raw of inputs) {
      const canonical = ok(raw);
      const { rows } = await db.query<{ same: boolean }>(
        "select $1::cidr = $2::cidr as same",
        [canonical, raw],
      );
      expect(rows[0]?.same, `${raw} -> ${canonical}`).toBe(true);
    }
  });

  it("host-bits errors agree with PostgreSQL's cidr rejection", async () => {
    for (let i = 0; i < 100; i++) {
      const v4 = `${randomV4()}/${rand(33)}`;
      const v6 = `${randomV6()}/${rand(129)}`;
      for (const raw of [v4, v6]) {
        const ours = parseAllowlistEntry(raw).ok;
        const pg = await db.query("select $1::cidr", [raw]).then(
          () => true,
          () => false,
        );
        expect(ours, raw).toBe(pg);
      }
    }
  });

  it("matching agrees with inet <<= cidr for non-mapped addresses", async () => {
    for (let i = 0; i < 300; i++) {
      const v6 = rand(2) === 0;
      const base = v6 ? randomV6() : randomV4();
      const prefix = v6 ? rand(129) : rand(33);
      const { rows } = await db.query<{ net: string }>("select network(set_masklen($1::inet, $2))::text as net", [
        base,
        prefix,
      ]);
      const entry = ok(rows[0]!.net);
      // Half the probes are near the network so both outcomes are exercised.
      const ip = rand(2) === 0 ? (v6 ? randomV6() : randomV4()) : ok(base);
      const pg = await db.query<{ m: boolean }>("select $1::inet <<= $2::cidr as m", [ip, entry]);
      expect(ipMatchesAllowlist(ip, [entry]), `${ip} in ${entry}`).toBe(pg.rows[0]!.m);
    }
  });
});
