import { Badge } from "@/components/ui/badge";
import { formatDate, formatDateTime } from "@/lib/format";
import type { KeyView } from "@/lib/keys/key-view.schema";
import { KEY_STATUS_BADGE, keyStatusText } from "./key-status-text";

export { KEY_STATUS_BADGE, keyStatusText };
import { maskedKey } from "./key-permissions";

const note = "block text-xs text-zinc-500 dark:text-zinc-400";

/** Status badge plus what a person needs next to it: grace end, rotation links, why it is disabled. */
export function KeyStatusCell({ keyView: key, byId }: { keyView: KeyView; byId: ReadonlyMap<string, KeyView> }) {
  const { tone } = KEY_STATUS_BADGE[key.status];
  const text = keyStatusText(key);
  const replacement = key.replaced_by_id ? byId.get(key.replaced_by_id) : undefined;
  const predecessor = key.rotated_from_id ? byId.get(key.rotated_from_id) : undefined;
  return (
    <div className="space-y-1">
      <Badge tone={tone}>{text}</Badge>
      {key.status === "rotating" && key.grace_until ? <span className={note}>until {formatDateTime(key.grace_until)}</span> : null}
      {key.status === "expiring" && key.expires_at ? <span className={note}>on {formatDate(key.expires_at)}</span> : null}
      {key.disabled_reason === "member_removed" && key.status !== "revoked" ? <span className={note}>creator left the team</span> : null}
      {key.status === "exhausted" ? <span className={note}>raise the use cap to use it again</span> : null}
      {key.status === "disabled" && (key.disabled_reason === "user" || key.disabled_reason === "admin") ? (
        <span className={note}>
          disabled by {key.disabled_by_email ?? "a former member"}
          {key.disabled_reason === "admin" ? " (owner or admin)" : ""}
        </span>
      ) : null}
      {key.replaced_by_id ? (
        <span className={note}>
          replaced by {replacement ? <span className="font-mono whitespace-nowrap">{maskedKey(replacement)}</span> : "a newer key"}
        </span>
      ) : null}
      {key.rotated_from_id ? (
        <span className={note}>
          replaces {predecessor ? <span className="font-mono whitespace-nowrap">{maskedKey(predecessor)}</span> : "an earlier key"}
        </span>
      ) : null}
    </div>
  );
}
