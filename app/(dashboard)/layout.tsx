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
      {/*
        Below md the sidebar is a compact header (issue 13 item 8: it took ~480 px at 390 px):
        logo and sign-out on one row (flex order), team and plan on the next, the navigation wrapping
        below.
        From md up it is the usual column.
      */}
      <aside className="flex flex-wrap items-center gap-x-3 gap-y-2 border-b border-zinc-200 bg-zinc-50 px-3 py-2 md:block md:w-60 md:shrink-0 md:border-r md:border-b-0 md:p-0 dark:border-zinc-800 dark:bg-zinc-950">
        <div className="order-1 md:px-4 md:py-4">
          <Logo />
        </div>
        <div className="order-3 flex w-full min-w-0 items-center gap-2 md:block md:px-3 md:pb-3">
          <div className="min-w-0 flex-1">
            <TeamSwitcher current={ctx.team.id} teams={ctx.teams.map((t) => ({ id: t.id, name: t.name, role: t.role }))} />
          </div>
          <p className="shrink-0 text-xs text-zinc-500 md:mt-1 md:px-1 dark:text-zinc-400">
            {getPlan(ctx.team.plan).name} plan · you are {ctx.team.role}
          </p>
        </div>
        <DashboardNav isAdmin={ctx.team.role !== "member"} />
        <div className="order-2 ml-auto md:ml-0 md:border-t md:border-zinc-200 md:px-4 md:py-3 md:text-sm md:dark:border-zinc-800">
          <p className="hidden truncate text-zinc-600 md:block dark:text-zinc-400" title={ctx.user.email}>
            {ctx.user.email}
          </p>
          <form action={signOutAction} className="md:mt-2">
            <Button type="submit" variant="ghost" size="sm" title={`Signed in as ${ctx.user.email}`}>
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
