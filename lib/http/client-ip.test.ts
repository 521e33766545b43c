import { describe, expect, it } from "vitest";
import { clientIp } from "./client-ip";

const h = (o: Record<string, string>) => new Headers(o);

describe("clientIp", () => {
  it("uses the socket address and ignores a forged X-Forwarded-For by default", () => {
    expect(clientIp(h({ "x-llavero-socket-ip": "::ffff:10.1.2.3", "x-forwarded-for": "1.1.1.1" }), false)).toBe("10.1.2.3");
  });
  it("takes the rightmost X-Forwarded-For entry behind a trusted proxy", () => {
    expect(clientIp(h({ "x-llavero-socket-ip": "127.0.0.1", "x-forwarded-for": "6.6.6.6, 203.0.113.9" }), true)).toBe("203.0.113.9");
  });
  it("falls back to the socket when the trusted header is junk", () => {
    expect(clientIp(h({ "x-llavero-socket-ip": "2001:db8::1", "x-forwarded-for": "nonsense" }), true)).toBe("2001:db8::1");
  });
  it("drops a zone id from a link-local peer", () => {
    expect(clientIp(h({ "x-llavero-socket-ip": "fe80::1%eth0" }), false)).toBe("fe80::1");
  });
});
