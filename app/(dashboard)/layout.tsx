import { Logo } from "@/components/layout/logo";
import type { ReactNode } from "react";
import { DashboardNav } from "@/components/layout/dashboard-nav";
import { TeamSwitcher } from "@/components/layout/team-switcher";
import { Button } from "@/components/ui/button";
import { FirstKeyDialog } from "@/components/keys/first-key-dialog";
import { requireTeamContext } from "@/lib/auth/require";
import { readFirstKeyCookie, requestIp } from "@/lib/auth/session";
import { consumeKeyReveal } from "@/lib/keys/first-key";
import { getPlan } from "@/lib/plans";
import { signOutAction } from "@/lib/auth/actions";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const ctx = await requireTeamContext();
  // A first key made at sign-up: its secret once, on the first view (the reveal row is deleted as it is read).
  const revealToken = await readFirstKeyCookie();
  const firstKey = revealToken ? await consumeKeyReveal(ctx.user.id, revealToken, await requestIp()) : null;
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <aside className="border-b border-zinc-200 bg-zinc-50 md:w-60 md:shrink-0 md:border-r md:border-b-0 dark:border-zinc-800 dark:bg-zinc-950">
        <div className="flex items-center justify-between px-4 py-4 md:block">
          <Logo />
        </div>
        <div className="px-3 pb-3">
          <TeamSwitcher current={ctx.team.id} teams={ctx.teams.map((t) => ({ id: t.id, name: t.name, role: t.role }))} />
          <p className="mt-1 px-1 text-xs text-zinc-500 dark:text-zinc-400">
            {getPlan(ctx.team.plan).name} plan · you are {ctx.team.role}
          </p>
        </div>
        <DashboardNav isAdmin={ctx.team.role !== "member"} />
        <div className="mt-auto border-t border-zinc-200 px-4 py-3 text-sm dark:border-zinc-800">
          <p className="truncate text-zinc-600 dark:text-zinc-400" title={ctx.user.email}>
            {ctx.user.email}
          </p>
          <form action={signOutAction} className="mt-2">
            <Button type="submit" variant="ghost" size="sm">
              Sign out
            </Button>
          </form>
        </div>
      </aside>
      <main id="main" className="min-w-0 flex-1 px-4 py-6 md:px-10 md:py-8">
        <div className="mx-auto max-w-6xl">{children}</div>
      </main>
      <FirstKeyDialog revealed={firstKey} />
    </div>
  );
}
