import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EndpointSection } from "@/components/api-docs/endpoint-section";
import { loadReference } from "@/components/api-docs/reference";

export const metadata: Metadata = { title: "API endpoint" };

const link = "font-medium text-accent-700 underline-offset-2 hover:underline dark:text-accent-300";

/** One operation of the public API (by operationId): parameters, examples, curl, errors. */
export default async function ApiEndpointPage({ params }: { params: Promise<{ operation: string }> }) {
  const { operation } = await params;
  const { endpoints } = await loadReference();
  const i = endpoints.findIndex((e) => e.id === operation);
  if (i < 0) notFound();
  const e = endpoints[i]!;
  const prev = endpoints[i - 1];
  const next = endpoints[i + 1];
  return (
    <div className="space-y-6">
      <nav aria-label="API reference" className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <Link href={`/api-docs#${e.id}`} className={link}>
          ← All endpoints
        </Link>
        <span className="flex flex-wrap gap-4">
          {prev ? (
            <Link href={`/api-docs/${prev.id}`} className={link}>
              Previous: {prev.method} {prev.path}
            </Link>
          ) : null}
          {next ? (
            <Link href={`/api-docs/${next.id}`} className={link}>
              Next: {next.method} {next.path}
            </Link>
          ) : null}
        </span>
      </nav>
      <EndpointSection endpoint={e} />
    </div>
  );
}
