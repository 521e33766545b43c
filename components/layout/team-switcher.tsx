"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { switchTeamAction } from "@/lib/teams/actions";
import { useToast } from "@/components/ui/toast";

interface Props {
  current: string;
  teams: { id: string; name: string; role: string }[];
}

export function TeamSwitcher({ current, teams }: Props) {
  const router = useRouter();
  const { toast } = useToast();
  const [pending, start] = useTransition();
  return (
    <label className="block">
      <span className="sr-only">Current team</span>
      <select
        className="block w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm font-medium dark:border-zinc-700 dark:bg-zinc-900"
        value={current}
        disabled={pending}
        aria-busy={pending}
        onChange={(e) => {
          const teamId = e.target.value;
          start(async () => {
            const r = await switchTeamAction({ teamId });
            if (!r.ok) toast({ title: "Could not switch team", description: r.message, variant: "error" });
            router.refresh();
          });
        }}
      >
        {teams.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
    </label>
  );
}
