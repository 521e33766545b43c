// No "server-only": the worker checks addresses at delivery time too.
import dns from "node:dns";
import ipaddr from "ipaddr.js";

/**
 * Why an address may not receive webhooks, or null when it may. Parses with ipaddr.js, which
 * reads every IPv4 spelling inet_aton accepts (`127.1`, `2130706433`, `0x7f.1`, octal) and
 * unwraps IPv4-mapped IPv6 (`::ffff:127.0.0.1`), so no spelling slips past a string check.
 * Only globally routable unicast passes (this also refuses 0.0.0.0, CGNAT 100.64/10,
 * link-local and cloud metadata 169.254.169.254, multicast, reserved and documentation ranges).
 */
export function forbiddenAddressReason(address: string): string | null {
  const host = address.replace(/^\[|\]$/g, "");
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.process(host);
  } catch {
    return null; // not an IP literal
  }
  const range = ip.range();
  return range === "unicast" ? null : `${ip.toString()} is a ${range} address`;
}

/** True when `host` is an IP literal in any spelling ipaddr.js accepts. */
export function isIpLiteral(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "");
  return ipaddr.isValid(h);
}

export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname) => (await dns.promises.lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Checks an endpoint URL's host when it is saved: an IP literal is checked directly, a name by
 * every address it resolves to now. Returns the refusal reason, or null when allowed. The check
 * is repeated at delivery on the address actually connected to (deliver.ts), since a name can
 * resolve elsewhere later (DNS rebinding).
 */
export async function checkEndpointHost(hostname: string, resolve: Resolver = systemResolver): Promise<string | null> {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (isIpLiteral(host)) return forbiddenAddressReason(host);
  if (host === "localhost" || host.endsWith(".localhost")) return `${host} is loopback`;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    return `${host} does not resolve`;
  }
  if (addresses.length === 0) return `${host} does not resolve`;
  for (const a of addresses) {
    const reason = forbiddenAddressReason(a);
    if (reason) return `${host} resolves to ${reason}`;
  }
  return null;
}
