"use client";

import { useId, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
import type { KeyView } from "@/lib/keys/key-view.schema";
import { focusFirstInvalid, toFieldErrors, type FieldErrors } from "./key-form";
import { updateKeyInputSchema } from "@/lib/keys/key-input.schema";
import { errorNode, FormError } from "./key-settings-fields";
import { useUpdateKey } from "./use-keys";

export interface RenameKeyDialogProps {
  keyView: KeyView | null;
  /** Name used in labels (disambiguated when two keys share a name). */
  label: string;
  onClose: () => void;
}

export function RenameKeyDialog({ keyView: key, label, onClose }: RenameKeyDialogProps) {
  const formId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const update = useUpdateKey({
    onSuccess: () => {
      setErrors({});
      onClose();
    },
    onError: (error) => {
      setErrors({ ...toFieldErrors(error.details), form: [error.message] });
      focusFirstInvalid(formRef.current);
    },
  });

  function close() {
    if (update.isPending) return;
    setErrors({});
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!key) return;
    const name = String(new FormData(event.currentTarget).get("name") ?? "");
    if (name.trim() === key.name) return close();
    const parsed = updateKeyInputSchema.safeParse({ name });
    if (!parsed.success) {
      setErrors(toFieldErrors(parsed.error.issues));
      focusFirstInvalid(formRef.current);
      return;
    }
    update.mutate({ key, input: parsed.data });
  }

  return (
    <Dialog
      open={key !== null}
      onClose={close}
      size="sm"
      title={`Rename ${label}`}
      description="Only the name changes; the key itself keeps working."
      footer={
        <>
          <Button variant="secondary" onClick={close} disabled={update.isPending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} loading={update.isPending}>
            Save name
          </Button>
        </>
      }
    >
      <form ref={formRef} id={formId} noValidate onSubmit={onSubmit} className="space-y-4">
        <FormError messages={errors.form} />
        <TextField label="New name" name="name" required maxLength={64} autoComplete="off" defaultValue={key?.name} data-autofocus="" error={errorNode(errors.name)} />
      </form>
    </Dialog>
  );
}
