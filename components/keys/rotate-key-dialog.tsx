"use client";

import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import type { KeyView, RotationGrace } from "@/lib/keys/key-view.schema";
import { FormError } from "./key-settings-fields";
import { useRotateKey, type RotateResult } from "./use-keys";

const GRACE_OPTIONS: { value: RotationGrace; label: string; hint: string }[] = [
  { value: "none", label: "No grace period", hint: "The old key stops working at once." },
  { value: "1h", label: "1 hour", hint: "The old key keeps working for 1 hour." },
  { value: "24h", label: "24 hours", hint: "The old key keeps working for 24 hours." },
  { value: "7d", label: "7 days", hint: "The old key keeps working for 7 days." },
];

export interface RotateKeyDialogProps {
  keyView: KeyView | null;
  label: string;
  onClose: () => void;
  /** Receives the new key's one-time secret, for the secret dialog. */
  onRotated: (result: RotateResult) => void;
}

export function RotateKeyDialog({ keyView: key, label, onClose, onRotated }: RotateKeyDialogProps) {
  const formId = useId();
  const [error, setError] = useState<string | null>(null);
  const rotate = useRotateKey({
    onSuccess: (result) => {
      setError(null);
      onRotated(result);
      window.setTimeout(() => rotate.reset(), 0);
    },
    onError: (err) => setError(err.message),
  });

  function close() {
    if (rotate.isPending) return;
    setError(null);
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!key) return;
    const grace = String(new FormData(event.currentTarget).get("grace") ?? "24h") as RotationGrace;
    rotate.mutate({ key, grace });
  }

  return (
    <Dialog
      open={key !== null}
      onClose={close}
      title={`Rotate ${label}`}
      description="Creates a new key with the same settings. Switch your apps to the new key before the grace period ends; the old key keeps working until then (or until it expires, if that is sooner)."
      footer={
        <>
          <Button variant="secondary" onClick={close} disabled={rotate.isPending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} loading={rotate.isPending}>
            Rotate key
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={onSubmit} className="space-y-4">
        <FormError messages={error ? [error] : undefined} />
        <fieldset>
          <legend className="mb-2 text-sm font-medium text-zinc-900 dark:text-zinc-100">Grace period for the old key</legend>
          <div className="space-y-2">
            {GRACE_OPTIONS.map((option) => (
              <label
                key={option.value}
                className="flex cursor-pointer items-start gap-3 rounded-md border border-zinc-200 px-3 py-2 has-checked:border-accent-500 has-checked:bg-accent-50 dark:border-zinc-700 dark:has-checked:bg-accent-950/40"
              >
                <input type="radio" name="grace" value={option.value} defaultChecked={option.value === "24h"} className="mt-0.5 size-4 accent-accent-600" />
                <span>
                  <span className="block font-medium text-zinc-900 dark:text-zinc-100">{option.label}</span>
                  <span className="block text-zinc-600 dark:text-zinc-400">{option.hint}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      </form>
    </Dialog>
  );
}
