import type { CallRow } from "./usage.schema";

/**
 * One line saying what a call was about, from the secret-free summary the API logged: the
 * history table and the CSV export's summary column say the same thing.
 */
export function describeCall(call: Pick<CallRow, "summary">): string {
  const s = call.summary;
  if (!s) return "—";
  if (typeof s.rfc === "string") {
    return typeof s.valid === "boolean" ? `RFC ${s.rfc} — ${s.valid ? "valid" : "invalid"}` : `RFC ${s.rfc}`;
  }
  if (typeof s.business_id === "string") {
    if (typeof s.score === "number") return `business ${s.business_id} — score ${s.score}`;
    if (typeof s.audit_id === "string") return `business ${s.business_id} — audit queued`;
    return `business ${s.business_id}`;
  }
  return "—";
}
