import type { Metadata } from "next";
import { ActivityLogTable } from "@/components/activity-log/activity-log-table";
import { PageHeader } from "@/components/ui/page-header";
import { requireTeamContext } from "@/lib/auth/require";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditLogPage() {
  const { team } = await requireTeamContext();
  const isAdmin = team.role === "owner" || team.role === "admin";
  return (
    <div className="space-y-6">
      <PageHeader
        title="Audit log"
        description={
          isAdmin
            ? "Every change to the team's API keys: who did it, when and from which IP."
            : "Changes you made, and changes made to the keys you created: who did it, when and from which IP."
        }
      />
      <ActivityLogTable />
    </div>
  );
}
