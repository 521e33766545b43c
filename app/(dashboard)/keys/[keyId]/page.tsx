import type { Metadata } from "next";
import { Suspense } from "react";
import { KeyDetail } from "@/components/usage/key-detail";
import { LoadingState } from "@/components/ui/states";
import { requireTeamContext } from "@/lib/auth/require";
import { getPlan } from "@/lib/plans";

export const metadata: Metadata = { title: "API key" };

/**
 * One key: its settings and actions, its daily calls and its call history. The client component reads the range and the
 * history filters from the URL (useSearchParams), so it sits in a Suspense boundary.
 */
export default async function KeyPage({ params }: { params: Promise<{ keyId: string }> }) {
  const { keyId } = await params;
  const { team } = await requireTeamContext();
  const plan = getPlan(team.plan);
  return (
    <Suspense fallback={<LoadingState label="Loading the key" />}>
      <KeyDetail keyId={keyId} rateCeiling={plan.rateCeilingPerMinute} planName={plan.name} />
    </Suspense>
  );
}
