"use client";

import { OneTimeSecretDialog } from "@/components/ui/one-time-secret-dialog";
import { formatDateTime } from "@/lib/format";
import type { KeyView } from "@/lib/keys/key-view.schema";

export interface RevealedSecret {
  secret: string;
  key: KeyView;
  /** Set after a rotation: the key it replaces. */
  previous?: KeyView;
}

/**
 * Shows a new key once, through the shared one-time dialog (Esc, the × and a backdrop click first
 * ask "Have you copied the key?"). The parent drops `revealed` on close, so the secret leaves React
 * state and the DOM.
 */
export function SecretDialog({ revealed, onClose }: { revealed: RevealedSecret | null; onClose: () => void }) {
  const previous = revealed?.previous;
  return (
    <OneTimeSecretDialog
      secret={revealed?.secret ?? null}
      onClose={onClose}
      title={previous ? `New key for “${revealed?.key.name}”` : `Your new key “${revealed?.key.name}”`}
      description="Copy it now and store it somewhere safe, such as your secrets manager."
      noun="key"
      boxLabel="API key"
      copyLabel="Copy API key"
      lostHint="We store only a hash of it. If you lose it, rotate the key to get a new one."
    >
      {previous ? (
        <p className="text-zinc-600 dark:text-zinc-400">
          {previous.status === "rotating" && previous.grace_until
            ? `The old key keeps working until ${formatDateTime(previous.grace_until)}, so you can switch over without downtime.`
            : "The old key has stopped working."}
        </p>
      ) : null}
    </OneTimeSecretDialog>
  );
}
