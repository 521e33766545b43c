import type { AuditEntry } from "@/lib/keys/key-view.schema";

const FIELD_NAMES: Record<string, string> = {
  name: "name",
  description: "description",
  scopes: "scopes",
  rate_limit_per_minute: "rate limit",
  ip_allowlist: "IP allowlist",
  use_cap: "use cap",
  expires_at: "expiry",
};

const GRACE_TEXT: Record<string, string> = { none: "no grace period", "1h": "grace 1h", "24h": "grace 24h", "7d": "grace 7d" };

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/** Human text for an entry: "Created", "Renamed from “A” to “B”", "Settings changed: scopes, rate limit", … */
export function describeAction(entry: Pick<AuditEntry, "action" | "details">): string {
  const d = entry.details;
  switch (entry.action) {
    case "key.created":
      return "Created";
    case "key.renamed": {
      const from = str(d.from);
      const to = str(d.to);
      return from && to ? `Renamed from “${from}” to “${to}”` : "Renamed";
    }
    case "key.settings_changed": {
      const fields = Array.isArray(d.fields) ? d.fields.filter((f): f is string => typeof f === "string") : [];
      return fields.length > 0 ? `Settings changed: ${fields.map((f) => FIELD_NAMES[f] ?? f.replaceAll("_", " ")).join(", ")}` : "Settings changed";
    }
    case "key.disabled":
      return "Disabled";
    case "key.enabled":
      return "Enabled";
    case "key.rotated": {
      const grace = str(d.grace);
      return grace ? `Rotated (${GRACE_TEXT[grace] ?? `grace ${grace}`})` : "Rotated";
    }
    case "key.revoked":
      return "Revoked";
    default:
      return entry.action;
  }
}
