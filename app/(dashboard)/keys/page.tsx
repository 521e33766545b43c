import { PageHeader } from "@/components/ui/page-header";

export default function KeysPage() {
  return <PageHeader title="API keys" description="Create and manage the keys your customers use." />;
}
