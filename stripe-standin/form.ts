/**
 * Decodes the bodies and query strings the Stripe SDK sends: `application/x-www-form-urlencoded`
 * with bracket paths (`items[0][price]=price_1`, `payload[value]=5`, `expand[]=x`).
 * Objects whose keys are all indices become arrays.
 */
export type FormValue = string | FormValue[] | { [k: string]: FormValue };

export function parseForm(text: string): Record<string, FormValue> {
  const root: Record<string, unknown> = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const parts = rawKey.replace(/\]/g, "").split("[");
    let node: Record<string, unknown> = root;
    parts.forEach((p, i) => {
      const key = p === "" ? String(Object.keys(node).length) : p;
      if (i === parts.length - 1) node[key] = value;
      else node = (node[key] ??= {}) as Record<string, unknown>;
    });
  }
  return normalise(root) as Record<string, FormValue>;
}

function normalise(v: unknown): FormValue {
  if (typeof v === "string") return v;
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj);
  const out: Record<string, FormValue> = {};
  for (const k of keys) out[k] = normalise(obj[k]);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) return keys.sort((a, b) => Number(a) - Number(b)).map((k) => out[k]!);
  return out;
}

export const str = (v: FormValue | undefined): string | undefined => (typeof v === "string" ? v : undefined);
export const arr = (v: FormValue | undefined): FormValue[] => (Array.isArray(v) ? v : v === undefined ? [] : typeof v === "string" ? [v] : Object.values(v));
export const obj = (v: FormValue | undefined): Record<string, FormValue> => (v && typeof v === "object" && !Array.isArray(v) ? v : {});
