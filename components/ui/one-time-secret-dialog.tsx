"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";
import { Button } from "./button";
import { Dialog } from "./dialog";
import { SecretBox } from "./secret-reveal";

export interface OneTimeSecretDialogProps {
  /** The secret to show; null closes the dialog (and its content unmounts, so the secret leaves the DOM). */
  secret: string | null;
  /** Called by "I have copied it" and "Close without copying"; the parent drops `secret`. */
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  /** What the secret is called in sentences, lower case: "key", "signing secret". */
  noun: string;
  /** Accessible name of the read-only box, e.g. "API key", "Signing secret". */
  boxLabel: string;
  /** Accessible name of the copy button, e.g. "Copy API key". */
  copyLabel: string;
  /** Second line of the "will not be shown again" note: how to get a new one. */
  lostHint: ReactNode;
  /** Extra content under the secret (e.g. what happens to the key a rotation replaced). */
  children?: ReactNode;
}

/**
 * Shows a secret once (API keys, webhook signing secrets). Esc, the × and a backdrop click first
 * ask "Have you copied the <noun>?": only "I have copied it" or "Close without copying" call
 * `onClose`, so a stray Esc does not lose a secret that can never be shown again.
 */
export function OneTimeSecretDialog({ secret, onClose, title, description, noun, boxLabel, copyLabel, lostHint, children }: OneTimeSecretDialogProps) {
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
    <Dialog open={secret !== null} onClose={() => setAsking(true)} size="lg" title={title} description={description} footer={<Button onClick={close}>I have copied it</Button>}>
      {secret !== null ? (
        <div className="space-y-4">
          <div role="note" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200">
            <p className="font-medium">This {noun} will not be shown again.</p>
            <p className="mt-0.5">{lostHint}</p>
          </div>
          {asking ? (
            <div role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/40 dark:text-red-200">
              <p className="font-medium">
                Have you copied the {noun}? Once closed, it cannot be shown again.
              </p>
              <div className="mt-2 flex flex-wrap gap-2">
                <Button ref={goBack} size="sm" variant="secondary" onClick={() => setAsking(false)}>
                  Go back to the {noun}
                </Button>
                <Button size="sm" variant="danger" onClick={close}>
                  Close without copying
                </Button>
              </div>
            </div>
          ) : null}
          <SecretBox value={secret} label={boxLabel} copyLabel={copyLabel} />
          {children}
        </div>
      ) : null}
    </Dialog>
  );
}
