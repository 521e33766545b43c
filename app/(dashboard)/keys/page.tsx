import type { Metadata } from "next";
import { KeysTable } from "@/components/keys/keys-table";
import { PageHeader } from "@/components/ui/page-header";
import { requireTeamContext } from "@/lib/auth/require";
import { getPlan } from "@/lib/plans";

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage() {
  const { team } = await requireTeamContext();
  const plan = getPlan(team.plan);
  const isAdmin = team.role === "owner" || team.role === "admin";
  return (
    <div className="space-y-6">
      <PageHeader
        title="API keys"
        description={
          isAdmin
            ? "Keys your apps use to call the API. You see every key in the team; only a key's creator can rename, edit or rotate it."
            : "Keys your apps use to call the API. You see and manage the keys you created."
        }
      />
      <KeysTable rateCeiling={plan.rateCeilingPerMinute} planName={plan.name} />
    </div>
  );
}
