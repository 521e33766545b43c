"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { SecretBox } from "@/components/ui/secret-reveal";
import { formatDateTime } from "@/lib/format";
import type { KeyView } from "@/lib/keys/key-view.schema";

export interface RevealedSecret {
  secret: string;
  key: KeyView;
  /** Set after a rotation: the key it replaces. */
  previous?: KeyView;
}

/**
 * Shows a new key once. The parent drops `revealed` on close, so the secret leaves React state
 * and the DOM (the dialog unmounts its content while closed). Esc, the × and a backdrop click
 * first ask "copied?": only "I have copied it" closes at once.
 */
export function SecretDialog({ revealed, onClose }: { revealed: RevealedSecret | null; onClose: () => void }) {
  const previous = revealed?.previous;
  const [asking, setAsking] = useState(false);
  const goBack = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) goBack.current?.focus();
  }, [asking]);
  const close = () => {
    setAsking(false);
    onClose();
  };
  return (
    <Dialog
      open={revealed !== null}
      onClose={() => setAsking(true)}
      size="lg"
      title={previous ? `New key for “${revealed?.key.name}”` : `Your new key “${revealed?.key.name}”`}
      description="Copy it now and store it somewhere safe, such as your secrets manager."
      footer={
        <Button onClick={close}>
          I have copied it
        </Button>
      }
    >
      {revealed ? (
        <div className="space-y-4">
          <div role="note" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200">
            <p className="font-medium">This key will not be shown again.</p>
            <p className="mt-0.5">We store only a hash of it. If you lose it, rotate the key to get a new one.</p>
          </div>
          {asking ? (
            <div role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/40 dark:text-red-200">
              <p className="font-medium">Have you copied the key? Once closed, it cannot be shown again.</p>
              <div className="mt-2 flex flex-wrap gap-2">
                <Button ref={goBack} size="sm" variant="secondary" onClick={() => setAsking(false)}>
                  Go back to the key
                </Button>
                <Button size="sm" variant="danger" onClick={close}>
                  Close without copying
                </Button>
              </div>
            </div>
          ) : null}
          <SecretBox value={revealed.secret} label="API key" copyLabel="Copy API key" />
          {previous ? (
            <p className="text-zinc-600 dark:text-zinc-400">
              {previous.status === "rotating" && previous.grace_until
                ? `The old key keeps working until ${formatDateTime(previous.grace_until)}, so you can switch over without downtime.`
                : "The old key has stopped working."}
            </p>
          ) : null}
        </div>
      ) : null}
    </Dialog>
  );
}
