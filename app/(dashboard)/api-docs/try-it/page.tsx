import type { Metadata } from "next";
import Link from "next/link";
import { loadReference } from "@/components/api-docs/reference";
import { TryIt } from "@/components/api-docs/try-it";
import { Card, CardBody } from "@/components/ui/card";

export const metadata: Metadata = { title: "Try the API" };

/** Real requests from the browser to this deployment, with a key the viewer pastes (never stored). */
export default async function ApiTryItPage() {
  const { endpoints } = await loadReference();
  const tryIt = endpoints.flatMap((e) => (e.tryIt ? [e.tryIt] : []));
  // Keyed endpoints the box cannot send (a path id and a body together): named, not silently left out.
  const notInTryIt = endpoints.filter((e) => e.keyed && !e.tryIt).map((e) => `${e.method} ${e.path}`);
  return (
    <div className="space-y-6">
      <nav aria-label="API reference" className="text-sm">
        <Link href="/api-docs" className="font-medium text-accent-700 underline-offset-2 hover:underline dark:text-accent-300">
          ← API reference
        </Link>
      </nav>
      <section id="try-it" aria-labelledby="try-it-heading">
        <Card>
          <div className="border-b border-zinc-200 px-6 py-4 dark:border-zinc-800">
            <h1 id="try-it-heading" className="text-lg font-semibold text-zinc-900 dark:text-zinc-100">
              Try it
            </h1>
            <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">
              Real requests from your browser to this deployment. They count like any other call: metered endpoints use your team&apos;s quota.
            </p>
          </div>
          <CardBody>
            <TryIt endpoints={tryIt} notHere={notInTryIt} />
          </CardBody>
        </Card>
      </section>
    </div>
  );
}
