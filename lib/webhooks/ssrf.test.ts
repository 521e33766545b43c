import { describe, expect, it } from "vitest";
import { checkEndpointHost, forbiddenAddressReason } from "./ssrf";

// Every spelling the issue lists, plus their neighbours. WHATWG URL parsing normalises some of
// them before the check ever sees them; the check must refuse both forms.
const FORBIDDEN = [
  "127.0.0.1",
  "127.1",
  "2130706433",
  "0x7f.1",
  "0x7f000001",
  "017700000001",
  "::ffff:127.0.0.1",
  "[::ffff:127.0.0.1]",
  "::ffff:7f00:1",
  "::1",
  "[::1]",
  "0.0.0.0",
  "::",
  "169.254.169.254",
  "fe80::1",
  "10.0.0.1",
  "172.16.5.4",
  "192.168.1.1",
  "fc00::1",
  "100.64.0.1",
  "100.127.255.254",
  "224.0.0.1",
  "ff02::1",
  "255.255.255.255",
];

describe("forbiddenAddressReason", () => {
  it.each(FORBIDDEN)("refuses %s", (a) => {
    expect(forbiddenAddressReason(a)).not.toBeNull();
  });
  it.each(["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "100.128.0.1"])("allows the public address %s", (a) => {
    expect(forbiddenAddressReason(a)).toBeNull();
  });
});

describe("checkEndpointHost (save time)", () => {
  const resolveTo = (addresses: string[]) => async () => addresses;
  it.each(FORBIDDEN)("refuses the literal %s, also as the URL parser normalises it", async (a) => {
    expect(await checkEndpointHost(a, resolveTo(["8.8.8.8"]))).not.toBeNull();
    const literal = a.includes(":") && !a.startsWith("[") ? `[${a}]` : a;
    expect(await checkEndpointHost(new URL(`https://${literal}/`).hostname, resolveTo(["8.8.8.8"]))).not.toBeNull();
  });
  it("refuses names that resolve to any forbidden address", async () => {
    expect(await checkEndpointHost("evil.example", resolveTo(["127.0.0.1"]))).toMatch(/evil.example resolves to 127.0.0.1 is a loopback/);
    expect(await checkEndpointHost("meta.example", resolveTo(["169.254.169.254"]))).toMatch(/linkLocal/);
    expect(await checkEndpointHost("mixed.example", resolveTo(["8.8.8.8", "10.1.2.3"]))).toMatch(/private/);
    expect(await checkEndpointHost("v6.example", resolveTo(["::ffff:127.0.0.1"]))).toMatch(/loopback/);
    expect(await checkEndpointHost("localhost", resolveTo(["8.8.8.8"]))).toMatch(/loopback/);
  });
  it("refuses names that do not resolve", async () => {
    expect(await checkEndpointHost("nx.example", async () => Promise.reject(new Error("ENOTFOUND")))).toMatch(/does not resolve/);
    expect(await checkEndpointHost("empty.example", resolveTo([]))).toMatch(/does not resolve/);
  });
  it("allows a name that resolves only to public addresses", async () => {
    expect(await checkEndpointHost("hooks.example", resolveTo(["8.8.8.8", "2606:4700:4700::1111"]))).toBeNull();
  });
});
