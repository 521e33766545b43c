import { isIP } from "node:net";

/**
 * The caller's IP. By default the TCP peer (set by server.mjs from the socket, overwriting
 * anything a client sent). Only when the operator declares a trusted proxy in front
 * (TRUST_PROXY=true) do we take X-Forwarded-For, and then its rightmost entry: the one our own
 * proxy appended, since everything left of it is whatever the client claimed.
 */
export function clientIp(headers: Headers, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = headers.get("x-forwarded-for");
    const last = forwarded?.split(",").map((s) => s.trim()).filter(Boolean).at(-1);
    if (last && isIP(normalizeIp(last))) return normalizeIp(last);
  }
  const socket = headers.get("x-llavero-socket-ip");
  if (socket && isIP(normalizeIp(socket))) return normalizeIp(socket);
  // Started without server.mjs (plain `next start`): Next fills X-Forwarded-For with the socket
  // address only when the client sent none, so this is the best remaining guess.
  const fallback = headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  return fallback && isIP(normalizeIp(fallback)) ? normalizeIp(fallback) : "0.0.0.0";
}

/** `::ffff:203.0.113.7` is how Node reports an IPv4 peer on a dual-stack socket. */
export function normalizeIp(ip: string): string {
  // A zone id ("fe80::1%eth0") means nothing to PostgreSQL's inet type or to an allowlist.
  const bare = ip.replace(/%.*$/, "");
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  return m ? m[1]! : bare;
}
