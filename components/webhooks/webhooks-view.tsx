"use client";

import { useState } from "react";
import { errorMessage } from "@/lib/client/api-client";
import { Button } from "@/components/ui/button";
import { OneTimeSecretDialog } from "@/components/ui/one-time-secret-dialog";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { EndpointDialog } from "./endpoint-dialog";
import { DeliveriesTable } from "./deliveries-table";
import { EndpointCard } from "./endpoint-card";
import { ThresholdsCard } from "./thresholds-card";
import { useEndpoints, type DeliveryFilters } from "./use-webhooks";

/** The Webhooks page: endpoints, the one-time secret reveal, and the delivery log. */
export function WebhooksView() {
  const q = useEndpoints();
  const [adding, setAdding] = useState(false);
  const [revealed, setRevealed] = useState<{ secret: string; url: string } | null>(null);
  const [filters, setFilters] = useState<DeliveryFilters>({ endpoint_id: "", status: "", event_type: "" });

  if (q.isPending) return <LoadingState label="Loading webhook endpoints" />;
  if (q.isError) return <ErrorState title="Could not load webhook endpoints" message={errorMessage(q.error)} onRetry={() => void q.refetch()} />;
  const { endpoints, allow_private } = q.data;

  return (
    <div className="space-y-6">
      {allow_private ? (
        <div role="note" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200">
          Private addresses allowed: this server runs with <code>WEBHOOKS_ALLOW_PRIVATE=true</code>, so endpoints may use plain http and loopback or private
          addresses. Use this for local development only.
        </div>
      ) : null}
      <div className="flex justify-end">
        <Button onClick={() => setAdding(true)}>Add endpoint</Button>
      </div>
      {endpoints.length === 0 ? (
        <EmptyState title="No endpoints yet" description="Add an endpoint to hear about finished audits, quota thresholds and key changes." />
      ) : (
        <div className="space-y-4">
          {endpoints.map((e) => (
            <EndpointCard key={e.id} endpoint={e} allowPrivate={allow_private} onSecret={(secret, url) => setRevealed({ secret, url })} onShowDeliveries={(id) => setFilters((f) => ({ ...f, endpoint_id: id }))} />
          ))}
        </div>
      )}
      <DeliveriesTable endpoints={endpoints} filters={filters} onFilters={setFilters} />
      <ThresholdsCard />
      <EndpointDialog
        open={adding}
        allowPrivate={allow_private}
        onClose={() => setAdding(false)}
        onCreated={(secret, url) => {
          setAdding(false);
          setRevealed({ secret, url });
        }}
      />
      <OneTimeSecretDialog
        secret={revealed?.secret ?? null}
        onClose={() => setRevealed(null)}
        title="Your endpoint's signing secret"
        description={revealed ? `For ${revealed.url}. Verify every message with it, using a Standard Webhooks library.` : undefined}
        noun="signing secret"
        boxLabel="Signing secret"
        copyLabel="Copy signing secret"
        lostHint="If you lose it, rotate the secret to get a new one."
      />
    </div>
  );
}
