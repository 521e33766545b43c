"use client";

import { useId, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import type { UpdateKeyInput } from "@/lib/keys/key-input.schema";
import type { KeyView } from "@/lib/keys/key-view.schema";
import { checkCeiling, expiryIso, focusFirstInvalid, hasErrors, readSettings, toFieldErrors, utcDay, type FieldErrors, type SettingsValues } from "./key-form";
import { updateKeyInputSchema } from "@/lib/keys/key-input.schema";
import { FormError, KeySettingsFields } from "./key-settings-fields";
import { useUpdateKey } from "./use-keys";

export interface EditKeyDialogProps {
  keyView: KeyView | null;
  label: string;
  onClose: () => void;
  rateCeiling: number;
  /** Whether the viewer may give keys:manage (owners and admins). */
  canGrantManage: boolean;
  planName: string;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Only fields the person changed are sent, so the audit log names exactly those. */
function changedFields(key: KeyView, v: SettingsValues, currentExpiry: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (v.description.trim() !== (key.description ?? "")) out.description = v.description;
  if (v.expiresOn !== currentExpiry) out.expires_at = v.expiresOn ? expiryIso(v.expiresOn) : null;
  if (!sameSet(v.scopes, key.scopes)) out.scopes = v.scopes;
  if (v.rate_limit_per_minute !== key.rate_limit_per_minute) out.rate_limit_per_minute = v.rate_limit_per_minute;
  if (v.ip_allowlist.join("\n") !== key.ip_allowlist.join("\n")) out.ip_allowlist = v.ip_allowlist;
  if (v.use_cap !== key.use_cap) out.use_cap = v.use_cap;
  return out;
}

export function EditKeyDialog({ keyView: key, label, onClose, rateCeiling, planName, canGrantManage }: EditKeyDialogProps) {
  const formId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const lineOf = useRef<number[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const currentExpiry = key?.expires_at ? utcDay(new Date(key.expires_at)) : "";

  const showErrors = (next: FieldErrors) => {
    setErrors(next);
    focusFirstInvalid(formRef.current);
  };
  const update = useUpdateKey({
    onSuccess: () => {
      setErrors({});
      onClose();
    },
    onError: (error) => showErrors({ ...toFieldErrors(error.details, lineOf.current), form: [error.message] }),
  });

  function close() {
    if (update.isPending) return;
    setErrors({});
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!key) return;
    const { values, lineOf: lines, errors: local } = readSettings(new FormData(event.currentTarget));
    lineOf.current = lines;
    if (values.rate_limit_per_minute === undefined && !local.rate_limit_per_minute) local.rate_limit_per_minute = ["Enter a rate limit."];
    // A key from a bigger plan may sit above today's ceiling; only a changed rate is held to it.
    if (values.rate_limit_per_minute !== key.rate_limit_per_minute) checkCeiling(values.rate_limit_per_minute, rateCeiling, planName, local);
    const changes = changedFields(key, values, currentExpiry);
    if (!hasErrors(local) && Object.keys(changes).length === 0) return close();
    const parsed = updateKeyInputSchema.safeParse(changes);
    const found: FieldErrors = { ...(parsed.success ? {} : toFieldErrors(parsed.error.issues, lines)), ...local };
    if (!parsed.success || hasErrors(found)) return showErrors(found);
    setErrors({});
    // The allowlist goes as typed, so server error indexes still match textarea lines.
    const input: UpdateKeyInput = "ip_allowlist" in changes ? { ...parsed.data, ip_allowlist: values.ip_allowlist } : parsed.data;
    update.mutate({ key, input });
  }

  return (
    <Dialog
      open={key !== null}
      onClose={close}
      size="lg"
      title={`Edit settings of ${label}`}
      description="Changes apply to the next request made with this key."
      footer={
        <>
          <Button variant="secondary" onClick={close} disabled={update.isPending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} loading={update.isPending}>
            Save settings
          </Button>
        </>
      }
    >
      {key ? (
        <form ref={formRef} id={formId} noValidate onSubmit={onSubmit} className="space-y-5">
          <FormError messages={errors.form} />
          <KeySettingsFields
            defaults={{
              description: key.description ?? "",
              expiresOn: currentExpiry,
              scopes: key.scopes,
              rate: key.rate_limit_per_minute,
              allowlist: key.ip_allowlist,
              useCap: key.use_cap,
            }}
            errors={errors}
            rateCeiling={rateCeiling}
            planName={planName}
            canGrantManage={canGrantManage}
          />
        </form>
      ) : null}
    </Dialog>
  );
}
