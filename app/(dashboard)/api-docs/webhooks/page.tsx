import type { Metadata } from "next";
import Link from "next/link";
import { loadReference } from "@/components/api-docs/reference";
import { WebhooksSection } from "@/components/api-docs/webhooks-section";

export const metadata: Metadata = { title: "Webhooks reference" };

/** The webhooks part of the API reference: events, signatures, retries. */
export default async function ApiWebhooksPage() {
  const { doc } = await loadReference();
  return (
    <div className="space-y-6">
      <nav aria-label="API reference" className="text-sm">
        <Link href="/api-docs" className="font-medium text-accent-700 underline-offset-2 hover:underline dark:text-accent-300">
          ← API reference
        </Link>
      </nav>
      <h1 className="sr-only">Webhooks reference</h1>
      <WebhooksSection doc={doc} />
    </div>
  );
}
