"use client";

import { useId, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
import { createKeyInputSchema, DEFAULT_KEY_SCOPES } from "@/lib/keys/key-input.schema";
import type { ApiError } from "@/lib/client/api-client";
import { checkCeiling, expiryIso, focusFirstInvalid, hasErrors, readSettings, toFieldErrors, type FieldErrors } from "./key-form";
import { errorNode, FormError, KeySettingsFields } from "./key-settings-fields";
import { useCreateKey, type SecretResult } from "./use-keys";

export interface CreateKeyDialogProps {
  open: boolean;
  onClose: () => void;
  /** Receives the one-time secret; this dialog keeps no copy of it. */
  onCreated: (result: SecretResult) => void;
  rateCeiling: number;
  /** Whether the viewer may give keys:manage (owners and admins). */
  canGrantManage: boolean;
  planName: string;
}

export function CreateKeyDialog({ open, onClose, onCreated, rateCeiling, planName, canGrantManage }: CreateKeyDialogProps) {
  const formId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const lineOf = useRef<number[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});

  const showErrors = (next: FieldErrors) => {
    setErrors(next);
    focusFirstInvalid(formRef.current);
  };

  const create = useCreateKey({
    onSuccess: (result) => {
      setErrors({});
      onCreated(result);
      // Drop the secret from the mutation's own state as well.
      window.setTimeout(() => create.reset(), 0);
    },
    onError: (error: ApiError) => {
      // The server's message always shows (e.g. the plan's key limit); field details go under their fields.
      showErrors({ ...toFieldErrors(error.details, lineOf.current), form: [error.message] });
    },
  });

  function close() {
    if (create.isPending) return;
    setErrors({});
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const { values, lineOf: lines, errors: local } = readSettings(form);
    lineOf.current = lines;
    checkCeiling(values.rate_limit_per_minute, rateCeiling, planName, local);
    const input = {
      name: String(form.get("name") ?? ""),
      description: values.description,
      expires_at: values.expiresOn ? expiryIso(values.expiresOn) : null,
      scopes: values.scopes,
      rate_limit_per_minute: values.rate_limit_per_minute,
      ip_allowlist: values.ip_allowlist,
      use_cap: values.use_cap,
    };
    // Same schema as the server, so most mistakes never leave the browser.
    const parsed = createKeyInputSchema.safeParse(input);
    const found: FieldErrors = { ...(parsed.success ? {} : toFieldErrors(parsed.error.issues, lines)), ...local };
    if (!parsed.success || hasErrors(found)) {
      showErrors(found);
      return;
    }
    setErrors({});
    // The allowlist goes as typed (not deduped), so server error indexes still match textarea lines.
    create.mutate({ ...parsed.data, ip_allowlist: input.ip_allowlist });
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      size="lg"
      title="Create an API key"
      description="The full key is shown once, right after you create it."
      footer={
        <>
          <Button variant="secondary" onClick={close} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} loading={create.isPending}>
            Create key
          </Button>
        </>
      }
    >
      <form ref={formRef} id={formId} noValidate onSubmit={onSubmit} className="space-y-5">
        <FormError messages={errors.form} />
        <TextField label="Name" name="name" required maxLength={64} autoComplete="off" data-autofocus="" hint="For example “Production” or “CI”." error={errorNode(errors.name)} />
        <KeySettingsFields
          defaults={{ description: "", expiresOn: "", scopes: DEFAULT_KEY_SCOPES, rate: rateCeiling, allowlist: [], useCap: null }}
          errors={errors}
          rateCeiling={rateCeiling}
          planName={planName}
          canGrantManage={canGrantManage}
        />
      </form>
    </Dialog>
  );
}
