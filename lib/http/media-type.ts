/**
 * Media types per RFC 9110 §8.3.1 (Content-Type), parsed once, here:
 *   media-type = type "/" subtype parameters
 *   parameters = *( OWS ";" OWS [ parameter ] ),  parameter = name "=" ( token / quoted-string )
 * Type, subtype and parameter names are case-insensitive (returned lower-case); values keep their
 * case, quoted-strings unquoted. Client-safe (no server-only): plain string work.
 */

export interface MediaType {
  type: string;
  subtype: string;
  /** Parameter names lower-case; a name may appear once. */
  parameters: ReadonlyMap<string, string>;
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const OWS = "[ \\t]*";
const QUOTED = '"(?:[\\t \\x21\\x23-\\x5B\\x5D-\\x7E\\x80-\\xFF]|\\\\[\\t \\x21-\\x7E\\x80-\\xFF])*"';
const HEAD = new RegExp(`^${OWS}(${TOKEN})/(${TOKEN})`);
const PARAM = new RegExp(`^${OWS};${OWS}(?:(${TOKEN})=(${TOKEN}|${QUOTED}))?`);
const TAIL = new RegExp(`^${OWS}$`);

/**
 * `"application/json; charset=UTF-8"` → `{ type: "application", subtype: "json", parameters: { charset: "UTF-8" } }`.
 * Returns null for anything that is not exactly one media type: a missing or empty header, a list
 * (`application/json, text/plain`), a bad token, an unterminated quote, a repeated parameter.
 */
export function parseMediaType(header: string | null | undefined): MediaType | null {
  if (header == null) return null;
  const head = HEAD.exec(header);
  if (!head) return null;
  let rest = header.slice(head[0].length);
  const parameters = new Map<string, string>();
  while (!TAIL.test(rest)) {
    const m = PARAM.exec(rest);
    if (!m) return null;
    rest = rest.slice(m[0].length);
    if (m[1] === undefined) continue; // an empty parameter (";;") is allowed by the grammar
    const name = m[1].toLowerCase();
    if (parameters.has(name)) return null;
    const raw = m[2]!;
    parameters.set(name, raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw);
  }
  return { type: head[1]!.toLowerCase(), subtype: head[2]!.toLowerCase(), parameters };
}

/**
 * JSON is `application/json` or a structured-syntax `application/<name>+json` (RFC 6839), with
 * `charset`, if given, `utf-8` (RFC 8259 §8.1: JSON between systems is UTF-8). Other parameters
 * are ignored. `application/jsonx`, `text/json` and `application/+json` are not JSON.
 */
export function isJsonMediaType(mt: MediaType | null): boolean {
  if (!mt || mt.type !== "application") return false;
  if (mt.subtype !== "json" && !/^.+\+json$/.test(mt.subtype)) return false;
  const charset = mt.parameters.get("charset");
  return charset === undefined || charset.toLowerCase() === "utf-8";
}

/** Whether a Content-Type header value names JSON (the one test every body reader uses). */
export function isJsonContentType(header: string | null | undefined): boolean {
  return isJsonMediaType(parseMediaType(header));
}
