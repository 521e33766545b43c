/**
 * Mexican RFC (Registro Federal de Contribuyentes) validation.
 *
 * Pure and allocation-light because it sits on the public API hot path.
 * Algorithm, sources and deliberate differences from python-stdnum's
 * `stdnum.mx.rfc` (our reference implementation) are in docs/rfc.md.
 */

/** Ordered: `validateRfc` reports errors in exactly this order. */
export const RFC_ERROR_CODES = [
  "invalid_length",
  "invalid_format",
  "invalid_date",
  "invalid_check_digit",
] as const;

export type RfcErrorCode = (typeof RFC_ERROR_CODES)[number];

export type RfcType = "fisica" | "moral";

export type RfcVerdict = {
  rfc: string;
  valid: boolean;
  type: RfcType | null;
  checks: { format: boolean; date: boolean; check_digit: boolean };
  errors: RfcErrorCode[];
};

// SAT's check-digit alphabet, copied verbatim from python-stdnum. The odd
// placement of '&' (after N) and ' ' / 'Ñ' (at the end) is what SAT uses;
// reordering it silently changes check digits of RFCs containing those.
const ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ";

// Every alphabet character is below U+0100 (Ñ is U+00D1), so a flat table
// indexed by char code avoids Map/indexOf lookups per character.
const VALUE_OF = new Int8Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE_OF[ALPHABET.charCodeAt(i)] = i;

// python-stdnum `_name_blacklist`: SAT's "palabras inconvenientes". SAT never
// issues these as the first four letters of a persona física RFC (it replaces
// the last letter with X), so an RFC carrying one was not issued by SAT.
const FORBIDDEN_FIRST_WORDS: ReadonlySet<string> = new Set([
  "BUEI", "BUEY", "CACA", "CACO", "CAGA", "CAGO", "CAKA", "CAKO", "COGE",
  "COJA", "COJE", "COJI", "COJO", "CULO", "FETO", "GUEY", "JOTO", "KACA",
  "KACO", "KAGA", "KAGO", "KAKA", "KOGE", "KOJO", "KULO", "MAME", "MAMO",
  "MEAR", "MEAS", "MEON", "MION", "MOCO", "MULA", "PEDA", "PEDO", "PENE",
  "PUTA", "PUTO", "QULO", "RATA", "RUIN",
]);

// Generic RFCs published by SAT (público en general / extranjeros). They are
// accepted on every CFDI even though XAXX010101000 fails the check digit.
const GENERIC_RFCS: ReadonlySet<string> = new Set(["XAXX010101000", "XEXX010101000"]);

// The "skeleton" (name letters + six digits) is what lets us name the type even
// when the homoclave is malformed, so callers get a useful `type` back.
const FISICA_SKELETON = /^[A-Z&Ñ]{4}[0-9]{6}/;
const MORAL_SKELETON = /^[A-Z&Ñ]{3}[0-9]{6}/;
const HOMOCLAVE = /^[A-Z0-9]{2}[0-9A]$/;
const NON_ASCII = /[^\x00-\x7f]/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Returns the SAT check digit or null when a character is outside the alphabet. */
function computeCheckDigit(body: string): string | null {
  // Morales have 11 characters before the check digit; SAT left-pads with
  // spaces to 12 so that both types share the 13..2 weights.
  const pad = 12 - body.length;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    const value = code < 256 ? (VALUE_OF[code] ?? -1) : -1;
    if (value < 0) return null;
    sum += value * (13 - (i + pad));
  }
  // The space's value (37) contributes to the sum for padded positions.
  for (let i = 0; i < pad; i++) sum += 37 * (13 - i);
  return ALPHABET[(11 - (sum % 11)) % 11] ?? null;
}

/**
 * SAT check digit for the characters preceding it: 12 for a persona física,
 * 11 for a persona moral (padded internally). Expects normalised input
 * (upper case, no separators); throws RangeError otherwise because a silent
 * wrong digit is worse than a loud failure for a caller building RFCs.
 */
export function rfcCheckDigit(first12: string): string {
  if (first12.length !== 11 && first12.length !== 12) {
    throw new RangeError(`rfcCheckDigit expects 11 or 12 characters, got ${first12.length}`);
  }
  const digit = computeCheckDigit(first12);
  if (digit === null) {
    throw new RangeError(`rfcCheckDigit: character outside the SAT alphabet in ${JSON.stringify(first12)}`);
  }
  return digit;
}

function isValidYymmdd(s: string, offset: number): boolean {
  const yy = (s.charCodeAt(offset) - 48) * 10 + (s.charCodeAt(offset + 1) - 48);
  const mm = (s.charCodeAt(offset + 2) - 48) * 10 + (s.charCodeAt(offset + 3) - 48);
  const dd = (s.charCodeAt(offset + 4) - 48) * 10 + (s.charCodeAt(offset + 5) - 48);
  if (mm < 1 || mm > 12 || dd < 1) return false;
  // The century is not encoded. We read YY as 20YY (as python-stdnum does):
  // across 1900-2099 only "00" differs (1900 is not leap, 2000 is), and an
  // RFC is acceptable if its date exists in *some* plausible century, so
  // 20YY is the permissive and correct choice.
  const year = 2000 + yy;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const max = mm === 2 && leap ? 29 : (DAYS_IN_MONTH[mm - 1] ?? 0);
  return dd <= max;
}

function normalise(input: string): string {
  const upper = input.trim().toUpperCase();
  // NFC so a decomposed "N + combining tilde" counts as the single letter Ñ;
  // skipped for pure ASCII, which is nearly all traffic.
  return NON_ASCII.test(upper) ? upper.normalize("NFC") : upper;
}

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Count a surrogate pair once so an emoji cannot pad a short RFC to 12/13.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

function fail(rfc: string, code: "invalid_length" | "invalid_format"): RfcVerdict {
  return {
    rfc,
    valid: false,
    type: null,
    checks: { format: false, date: false, check_digit: false },
    errors: [code],
  };
}

/** Validates an RFC for the public API; see docs/rfc.md for the exact rules. */
export function validateRfc(input: string): RfcVerdict {
  const rfc = normalise(input);
  const length = codePointLength(rfc);
  if (length !== 12 && length !== 13) return fail(rfc, "invalid_length");

  // From here length is 12/13 code points; any astral character would fail
  // the skeleton regexes, so UTF-16 indexing below is safe.
  let type: RfcType;
  if (length === 13 && FISICA_SKELETON.test(rfc)) type = "fisica";
  else if (length === 12 && MORAL_SKELETON.test(rfc)) type = "moral";
  // Without a recognisable skeleton we cannot locate the date or know the
  // padding, so reporting date/check-digit errors would be guesswork.
  else return fail(rfc, "invalid_format");

  const nameLength = type === "fisica" ? 4 : 3;
  const format =
    HOMOCLAVE.test(rfc.slice(-3)) &&
    !(type === "fisica" && FORBIDDEN_FIRST_WORDS.has(rfc.slice(0, 4)));
  const date = isValidYymmdd(rfc, nameLength);
  const check_digit =
    GENERIC_RFCS.has(rfc) || computeCheckDigit(rfc.slice(0, -1)) === rfc.slice(-1);

  const errors: RfcErrorCode[] = [];
  if (!format) errors.push("invalid_format");
  if (!date) errors.push("invalid_date");
  if (!check_digit) errors.push("invalid_check_digit");

  return { rfc, valid: errors.length === 0, type, checks: { format, date, check_digit }, errors };
}
