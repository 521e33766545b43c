import type { AuditEntry } from "@/lib/keys/key-view.schema";
import { getPlan } from "@/lib/plans";

const PLAN_NAME = (id: string) => getPlan(id).name;

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

/**
 * What an entry is about, for the log's "Subject" column: the key's name for key events, the
 * member's email for member events, the invitee for invitations, "Team" for plan changes.
 */
export function describeSubject(entry: Pick<AuditEntry, "action" | "details" | "key_name" | "subject_email">): string {
  if (entry.action.startsWith("key.")) return entry.key_name ?? "Deleted key";
  if (entry.action.startsWith("invitation.") && entry.action !== "invitation.accepted") return str(entry.details.email) ?? "Invitation";
  if (entry.action.startsWith("member.") || entry.action === "invitation.accepted") return entry.subject_email ?? str(entry.details.email) ?? "Former member";
  return "Team";
}

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
    case "invitation.sent":
      return `Invited ${str(d.email) ?? "someone"} as ${str(d.role) ?? "member"}`;
    case "invitation.accepted":
      return `Joined the team as ${str(d.role) ?? "member"} (accepted an invitation)`;
    case "invitation.revoked":
      return `Revoked the invitation to ${str(d.email) ?? "someone"}`;
    case "member.left":
      return "Left the team";
    case "member.removed":
      return "Removed from the team";
    case "member.role_changed": {
      const from = str(d.from);
      const to = str(d.to);
      return from && to ? `Role changed from ${from} to ${to}` : "Role changed";
    }
    case "plan.changed": {
      const from = str(d.from);
      const to = str(d.to);
      return from && to ? `Plan changed from ${PLAN_NAME(from)} to ${PLAN_NAME(to)}` : "Plan changed";
    }
    default:
      return entry.action;
  }
}
