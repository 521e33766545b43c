import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/states";
import { WebhooksView } from "@/components/webhooks/webhooks-view";
import { requireTeamContext } from "@/lib/auth/require";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const { team } = await requireTeamContext();
  const isAdmin = team.role === "owner" || team.role === "admin";
  return (
    <div className="space-y-6">
      <PageHeader title="Webhooks" description="Send your systems a signed HTTP request when an audit finishes, a quota threshold is reached or a key changes." />
      {isAdmin ? <WebhooksView /> : <EmptyState title="Only owners and admins manage webhooks" description="Ask an owner or admin of this team if you need an endpoint." />}
    </div>
  );
}
