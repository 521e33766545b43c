"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { changeRoleAction, leaveTeamAction, removeMemberAction, revokeInvitationAction } from "@/lib/teams/actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import type { ActionResult } from "@/lib/actions/action";

function useActionRunner() {
  const router = useRouter();
  const { toast } = useToast();
  const [pending, start] = useTransition();
  const run = (action: () => Promise<ActionResult<unknown>>, success: string, after?: () => void) =>
    new Promise<void>((resolve) =>
      start(async () => {
        const r = await action();
        if (r.ok) {
          toast({ title: success, variant: "success" });
          after?.();
          router.refresh();
        } else {
          toast({ title: "That did not work", description: r.message, variant: "error" });
        }
        resolve();
      }),
    );
  return { run, pending };
}

export function RoleSelect({ userId, email, role }: { userId: string; email: string; role: "admin" | "member" }) {
  const { run, pending } = useActionRunner();
  return (
    <label>
      <span className="sr-only">Role of {email}</span>
      <select
        className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        defaultValue={role}
        disabled={pending}
        onChange={(e) => void run(() => changeRoleAction({ userId, role: e.target.value }), `${email} is now ${e.target.value}`)}
      >
        <option value="member">member</option>
        <option value="admin">admin</option>
      </select>
    </label>
  );
}

export function RemoveMemberButton({ userId, email }: { userId: string; email: string }) {
  const [open, setOpen] = useState(false);
  const { run, pending } = useActionRunner();
  return (
    <>
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)} aria-label={`Remove ${email}`}>
        Remove
      </Button>
      <ConfirmDialog
        open={open}
        title={`Remove ${email}?`}
        message="They lose access to this team at once, and every API key they created is disabled."
        confirmLabel="Remove member"
        destructive
        pending={pending}
        onCancel={() => setOpen(false)}
        onConfirm={() => run(() => removeMemberAction({ userId }), `${email} was removed`, () => setOpen(false))}
      />
    </>
  );
}

export function RevokeInvitationButton({ invitationId, email }: { invitationId: string; email: string }) {
  const { run, pending } = useActionRunner();
  return (
    <Button variant="ghost" size="sm" loading={pending} aria-label={`Revoke invitation for ${email}`} onClick={() => void run(() => revokeInvitationAction({ invitationId }), "Invitation revoked")}>
      Revoke
    </Button>
  );
}

export function LeaveTeamButton({ teamName }: { teamName: string }) {
  const [open, setOpen] = useState(false);
  const { run, pending } = useActionRunner();
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Leave team
      </Button>
      <ConfirmDialog
        open={open}
        title={`Leave ${teamName}?`}
        message="You lose access at once and your API keys in this team are disabled. An admin can invite you again."
        confirmLabel="Leave team"
        destructive
        pending={pending}
        onCancel={() => setOpen(false)}
        onConfirm={() => run(() => leaveTeamAction(), `You left ${teamName}`, () => setOpen(false))}
      />
    </>
  );
}
