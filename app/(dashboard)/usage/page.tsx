import type { Metadata } from "next";
import { Suspense } from "react";
import { UsageDashboard } from "@/components/usage/usage-dashboard";
import { LoadingState } from "@/components/ui/states";
import { PageHeader } from "@/components/ui/page-header";
import { requireTeamContext } from "@/lib/auth/require";
import { getPlan } from "@/lib/plans";

export const metadata: Metadata = { title: "Usage" };

export default async function UsagePage() {
  const { team } = await requireTeamContext();
  const isAdmin = team.role === "owner" || team.role === "admin";
  return (
    <div className="space-y-6">
      <PageHeader
        title="Usage"
        description={
          isAdmin
            ? "Calls to the API by every key in the team, and where this month's quota stands. Days are UTC."
            : "Calls made with your keys, and where the team's quota stands this month. Days are UTC."
        }
      />
      {/* The range lives in the URL (?days=), read on the client with useSearchParams. */}
      <Suspense fallback={<LoadingState label="Loading usage" />}>
        <UsageDashboard planName={getPlan(team.plan).name} scopeNote={isAdmin ? "All keys in the team" : "Your keys only"} />
      </Suspense>
    </div>
  );
}
