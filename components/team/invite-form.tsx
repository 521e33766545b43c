"use client";

import { useState, useTransition } from "react";
import { inviteAction } from "@/lib/teams/actions";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { SecretBox } from "@/components/ui/secret-reveal";
import { useToast } from "@/components/ui/toast";

// Short labels: a long one ("Member — manages only their own keys") was cut off in the select at
// every width. What each role may do is said once, under the form.
const ROLE_OPTIONS = [
  { value: "member", label: "Member" },
  { value: "admin", label: "Admin" },
] as const;

export function InviteForm() {
  const { toast } = useToast();
  const [pending, start] = useTransition();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);

  return (
    <div className="space-y-4">
      <form
        className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          const formEl = e.currentTarget;
          const form = new FormData(formEl);
          const email = String(form.get("email") ?? "");
          const role = String(form.get("role") ?? "member");
          start(async () => {
            const r = await inviteAction({ email, role });
            if (!r.ok) {
              setErrors(r.fieldErrors ?? {});
              toast({ title: "Invitation not created", description: r.message, variant: "error" });
              return;
            }
            setErrors({});
            // Clear only the address on success (a failure keeps it for correction); the role stays
            // for the next invitation.
            const emailInput = formEl.elements.namedItem("email");
            if (emailInput instanceof HTMLInputElement) emailInput.value = "";
            setLink({ email, url: r.data.url });
            toast({ title: "Invitation created", description: `Send the link to ${email}.`, variant: "success" });
          });
        }}
      >
        <TextField label="Email to invite" name="email" type="email" required autoComplete="off" error={errors.email} />
        <SelectField label="Role" name="role" options={ROLE_OPTIONS} defaultValue="member" error={errors.role} />
        <Button type="submit" loading={pending}>
          Create invitation
        </Button>
      </form>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">A member manages only their own keys; an admin manages members and every key.</p>
      {link ? (
        <div className="rounded-lg border border-accent-200 bg-accent-50 p-4 dark:border-accent-900 dark:bg-accent-950/40" role="region" aria-label="Invitation link">
          <p className="mb-2 text-sm">
            Send this single-use link to <strong>{link.email}</strong>. It expires in 7 days. No email is sent for you.
          </p>
          <SecretBox value={link.url} label="Invitation link" copyLabel="Copy invitation link" />
        </div>
      ) : null}
    </div>
  );
}
