"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createTeamAction, renameTeamAction } from "@/lib/teams/actions";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";

export function TeamSettingsForm({ teamName, canRename }: { teamName: string; canRename: boolean }) {
  const router = useRouter();
  const { toast } = useToast();
  const [pending, start] = useTransition();
  const [errors, setErrors] = useState<{ rename?: string; create?: string }>({});

  const submit = (kind: "rename" | "create") => (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const name = String(new FormData(form).get("name") ?? "");
    start(async () => {
      const r = kind === "rename" ? await renameTeamAction({ name }) : await createTeamAction({ name });
      if (!r.ok) {
        setErrors({ [kind]: r.fieldErrors?.name ?? r.message });
        return;
      }
      setErrors({});
      if (kind === "create") form.reset();
      toast({ title: kind === "rename" ? "Team renamed" : `Team “${name}” created and selected`, variant: "success" });
      router.refresh();
    });
  };

  return (
    <div className="grid gap-6 md:grid-cols-2">
      {canRename ? (
        <form onSubmit={submit("rename")} className="flex items-end gap-2">
          <TextField label="Team name" name="name" defaultValue={teamName} required maxLength={80} error={errors.rename} className="flex-1" />
          <Button type="submit" variant="secondary" loading={pending}>
            Rename
          </Button>
        </form>
      ) : null}
      <form onSubmit={submit("create")} className="flex items-end gap-2">
        <TextField label="New team name" name="name" required maxLength={80} error={errors.create} className="flex-1" />
        <Button type="submit" variant="secondary" loading={pending}>
          Create team
        </Button>
      </form>
    </div>
  );
}
