
/**
 * Validation and canonicalisation of per-key IP allowlists. Canonical values
 * are what we store: PostgreSQL `cidr` accepts every one of them, and
 * canonicalising before deduping means `10.0.0.0/8` and `10.0.0.0/08`, or
 * `2001:DB8::1` and `2001:db8:0::1`, do not count as distinct entries.
 */

export const MAX_ALLOWLIST_ENTRIES = 50;

type Family = 4 | 6;

interface Network {
  family: Family;
  /** 4 bytes for IPv4, 16 for IPv6; host bits are zero. */
  bytes: Uint8Array;
  prefix: number;
}

export type AllowlistEntryResult = { ok: true; value: string } | { ok: false; message: string };
export type AllowlistResult =
  | { ok: true; values: string[] }
  | { ok: false; errors: { index: number; message: string }[] };

// Echoing a pasted megabyte back in an error message helps nobody.
const MAX_QUOTED = 60;
function quote(raw: string): string {
  const s = raw.length > MAX_QUOTED ? raw.slice(0, MAX_QUOTED) + "…" : raw;
  return JSON.stringify(s);
}

function parseIPv4(s: string): Uint8Array | null {
  // Pure parsing (no node:net) so the same rules run in the browser's forms. Leading zeros
  // ("01.2.3.4") are refused below: some parsers read them as octal, others as decimal.
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) return null;
  const bytes = new Uint8Array(4);
  const parts = s.split(".");
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    if (part.length > 1 && part.startsWith("0")) return null;
    const n = Number(part);
    if (n > 255) return null;
    bytes[i] = n;
  }
  return bytes;
}

function parseIPv6(s: string): Uint8Array | null {
  // Zone IDs ("fe80::1%eth0") mean nothing to PostgreSQL or to another host.
  if (s.includes("%")) return null;

  let tail: Uint8Array | null = null;
  let text = s;
  const lastColon = s.lastIndexOf(":");
  if (s.slice(lastColon + 1).includes(".")) {
    tail = parseIPv4(s.slice(lastColon + 1));
    if (!tail) return null;
    // Drop the colon before the dotted tail unless it belongs to a "::".
    text = s.slice(0, lastColon + 1);
    if (!text.endsWith("::")) text = text.slice(0, -1);
  }

  const groupsNeeded = tail ? 6 : 8;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const toGroups = (h: string): number[] | null => {
    if (h === "") return [];
    const out: number[] = [];
    for (const g of h.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = toGroups(halves[0]!);
  const rest = halves.length === 2 ? toGroups(halves[1]!) : [];
  if (!head || !rest) return null;

  let groups: number[];
  if (halves.length === 2) {
    const fill = groupsNeeded - head.length - rest.length;
    if (fill < 1) return null;
    groups = [...head, ...new Array<number>(fill).fill(0), ...rest];
  } else {
    groups = head;
  }
  if (groups.length !== groupsNeeded) return null;

  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  if (tail) bytes.set(tail, 12);
  return bytes;
}

function parseAddress(s: string): { family: Family; bytes: Uint8Array } | null {
  const v4 = parseIPv4(s);
  if (v4) return { family: 4, bytes: v4 };
  const v6 = parseIPv6(s);
  if (v6) return { family: 6, bytes: v6 };
  return null;
}

function maskBytes(bytes: Uint8Array, prefix: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
    const mask = bitsHere === 0 ? 0 : (0xff << (8 - bitsHere)) & 0xff;
    out[i] = bytes[i]! & mask;
  }
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function isV4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

function formatIPv4(bytes: Uint8Array): string {
  return Array.from(bytes).join(".");
}

/** RFC 5952: lower case, longest run (>= 2) of zero groups as "::", dotted tail for v4-mapped. */
function formatIPv6(bytes: Uint8Array): string {
  if (isV4Mapped(bytes)) return "::ffff:" + formatIPv4(bytes.subarray(12));
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((bytes[i * 2]! << 8) | bytes[i * 2 + 1]!);

  let bestStart = -1;
  let bestLen = 1; // a single zero group is never compressed
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(":");
  if (bestStart < 0) return hex(groups);
  return hex(groups.slice(0, bestStart)) + "::" + hex(groups.slice(bestStart + bestLen));
}

function formatNetwork(n: Network): string {
  const addr = n.family === 4 ? formatIPv4(n.bytes) : formatIPv6(n.bytes);
  const full = n.family === 4 ? 32 : 128;
  // Single hosts are stored bare; PostgreSQL reads them as /32 or /128.
  return n.prefix === full ? addr : `${addr}/${n.prefix}`;
}

function parseNetwork(raw: string): { ok: true; network: Network } | { ok: false; message: string } {
  const s = raw.trim();
  if (s === "") {
    return { ok: false, message: "An empty entry is not a valid IP address or CIDR range." };
  }
  const invalid = {
    ok: false as const,
    message: `${quote(s)} is not a valid IPv4 or IPv6 address or CIDR range.`,
  };

  const slash = s.indexOf("/");
  const addrText = slash < 0 ? s : s.slice(0, slash);
  const prefixText = slash < 0 ? null : s.slice(slash + 1);

  const addr = parseAddress(addrText);
  if (!addr) return invalid;
  const full = addr.family === 4 ? 32 : 128;

  let prefix = full;
  if (prefixText !== null) {
    if (!/^\d{1,3}$/.test(prefixText)) return invalid;
    prefix = Number(prefixText);
    if (prefix > full) {
      return {
        ok: false,
        message: `${quote(s)} has an invalid prefix length: IPv${addr.family} prefixes must be between 0 and ${full}.`,
      };
    }
  }

  const masked = maskBytes(addr.bytes, prefix);
  const network: Network = { family: addr.family, bytes: masked, prefix };
  // PostgreSQL's cidr rejects host bits, and silently masking would widen the
  // range to something the user may not have meant, so ask them to confirm.
  if (!sameBytes(masked, addr.bytes)) {
    return {
      ok: false,
      message: `${quote(s)} has bits set to the right of the /${prefix} mask; use "${formatNetwork(network)}" to allow that whole range, or "${formatNetwork({ ...addr, prefix: full })}" for the single address.`,
    };
  }
  return { ok: true, network };
}

export function parseAllowlistEntry(raw: string): AllowlistEntryResult {
  const r = parseNetwork(raw);
  return r.ok ? { ok: true, value: formatNetwork(r.network) } : r;
}

/**
 * Validates every entry, dedupes by canonical value (first occurrence wins,
 * order preserved) and enforces MAX_ALLOWLIST_ENTRIES on the deduped list.
 * All problems are reported at once so a form can flag every bad row.
 */
export function parseAllowlist(entries: string[]): AllowlistResult {
  const errors: { index: number; message: string }[] = [];
  const values: string[] = [];
  const seen = new Set<string>();
  let overLimitReported = false;

  entries.forEach((raw, index) => {
    const r = parseAllowlistEntry(raw);
    if (!r.ok) {
      errors.push({ index, message: r.message });
      return;
    }
    if (seen.has(r.value)) return;
    seen.add(r.value);
    values.push(r.value);
    if (values.length > MAX_ALLOWLIST_ENTRIES && !overLimitReported) {
      overLimitReported = true;
      errors.push({
        index,
        message: `An IP allowlist can have at most ${MAX_ALLOWLIST_ENTRIES} entries; ${quote(raw.trim())} is entry ${values.length}.`,
      });
    }
  });

  if (errors.length > 0) {
    errors.sort((a, b) => a.index - b.index);
    return { ok: false, errors };
  }
  return { ok: true, values };
}

/** Treats an IPv4-mapped IPv6 network (::ffff:a.b.c.d/96+n) as the IPv4 network a.b.c.d/n. */
function unmap(n: Network): Network {
  if (n.family === 6 && n.prefix >= 96 && isV4Mapped(n.bytes)) {
    return { family: 4, bytes: n.bytes.slice(12), prefix: n.prefix - 96 };
  }
  return n;
}

/**
 * Whether `ip` falls inside any entry. Pure set membership: an EMPTY list
 * matches nothing (use isIpAllowed for the "empty = unrestricted" policy).
 * IPv4-mapped IPv6 addresses are compared as IPv4 on both sides, since
 * dual-stack servers report IPv4 clients as ::ffff:a.b.c.d. Other IPv6
 * ranges never match IPv4 clients, matching PostgreSQL's `<<=`. Invalid
 * entries are skipped rather than throwing, since this is a preview helper.
 */
export function ipMatchesAllowlist(ip: string, allowlist: string[]): boolean {
  const s = ip.trim();
  if (s.includes("/")) return false;
  const addr = parseAddress(s);
  if (!addr) return false;
  const client = unmap({ ...addr, prefix: addr.family === 4 ? 32 : 128 });

  for (const entry of allowlist) {
    const parsed = parseNetwork(entry);
    if (!parsed.ok) continue;
    const net = unmap(parsed.network);
    if (net.family !== client.family) continue;
    if (sameBytes(maskBytes(client.bytes, net.prefix), net.bytes)) return true;
  }
  return false;
}

/** Product policy: a key with no allowlist accepts every IP. */
export function isIpAllowed(ip: string, allowlist: string[]): boolean {
  return allowlist.length === 0 || ipMatchesAllowlist(ip, allowlist);
}
