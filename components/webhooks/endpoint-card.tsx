"use client";

import { useState } from "react";
import { errorMessage } from "@/lib/client/api-client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { formatDateTime } from "@/lib/format";
import { EndpointDialog } from "./endpoint-dialog";
import { webhooksApi, useWebhookAction, type EndpointView } from "./use-webhooks";

const DISABLED_WHY: Record<string, string> = {
  user: "Disabled by a person on your team.",
  gone: "Disabled automatically: the endpoint answered 410 Gone.",
  failing: "Disabled automatically: every delivery failed for 5 days. Fix the receiver, then enable it and replay the failed messages.",
};

/** One endpoint with its actions; the rotated secret goes to `onSecret` for the one-time reveal. */
export function EndpointCard({
  endpoint,
  allowPrivate,
  onSecret,
  onShowDeliveries,
}: {
  endpoint: EndpointView;
  allowPrivate: boolean;
  onSecret: (secret: string, url: string) => void;
  onShowDeliveries: (id: string) => void;
}) {
  const { toast } = useToast();
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState<"delete" | "rotate" | null>(null);
  const run = useWebhookAction(async (fn: () => Promise<unknown>) => fn());

  async function act(label: string, fn: () => Promise<unknown>) {
    try {
      await run.mutateAsync(fn);
      toast({ title: label, variant: "success" });
    } catch (err) {
      toast({ title: "That did not work", description: errorMessage(err), variant: "error" });
    }
  }

  const e = endpoint;
  return (
    <Card>
      <CardHeader
        headingLevel={3}
        title={<span className="font-mono text-sm break-all">{e.url}</span>}
        description={e.description ?? undefined}
        actions={e.enabled ? <Badge tone="success">Enabled</Badge> : <Badge tone={e.disabled_reason === "user" ? "neutral" : "danger"}>Disabled</Badge>}
      />
      <CardBody className="space-y-3 text-sm">
        {!e.enabled && e.disabled_reason ? (
          <div role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-red-900 dark:border-red-800 dark:bg-red-950/40 dark:text-red-200">
            {DISABLED_WHY[e.disabled_reason]}
          </div>
        ) : e.failing_since ? (
          <div role="note" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200">
            Deliveries have been failing since {formatDateTime(e.failing_since)}. After 5 days without a success the endpoint is disabled.
          </div>
        ) : null}
        <p className="text-zinc-600 dark:text-zinc-400">
          Events: {e.event_types.length === 0 ? "all" : e.event_types.join(", ")}
          {e.previous_secret_expires_at && new Date(e.previous_secret_expires_at) > new Date()
            ? ` · the previous secret also signs until ${formatDateTime(e.previous_secret_expires_at)}`
            : ""}
        </p>
        <div className="flex flex-wrap gap-2">
          <Button size="sm" disabled={!e.enabled || run.isPending} onClick={() => act("Test event queued", () => webhooksApi.test(e.id))}>
            Send test event
          </Button>
          <Button size="sm" variant="secondary" onClick={() => setEditing(true)}>
            Edit
          </Button>
          <Button size="sm" variant="secondary" onClick={() => onShowDeliveries(e.id)}>
            Show deliveries
          </Button>
          <Button size="sm" variant="secondary" onClick={() => setConfirm("rotate")}>
            Rotate secret
          </Button>
          <Button size="sm" variant="secondary" disabled={run.isPending} onClick={() => act(e.enabled ? "Endpoint disabled" : "Endpoint enabled", () => webhooksApi.setEnabled(e.id, !e.enabled))}>
            {e.enabled ? "Disable" : "Enable"}
          </Button>
          <Button size="sm" variant="danger" onClick={() => setConfirm("delete")}>
            Delete
          </Button>
        </div>
      </CardBody>
      <EndpointDialog
        open={editing}
        endpoint={e}
        allowPrivate={allowPrivate}
        onClose={() => setEditing(false)}
        onSaved={() => {
          setEditing(false);
          toast({ title: "Endpoint saved", variant: "success" });
        }}
      />
      <ConfirmDialog
        open={confirm === "rotate"}
        title="Rotate this endpoint's secret?"
        message="You get a new secret now. The old one keeps signing beside it for 24 hours, so your receiver can switch without missing a message."
        confirmLabel="Rotate secret"
        onCancel={() => setConfirm(null)}
        onConfirm={async () => {
          try {
            const { secret } = await run.mutateAsync(() => webhooksApi.rotate(e.id)).then((r) => r as { secret: string });
            setConfirm(null);
            onSecret(secret, e.url);
          } catch (err) {
            setConfirm(null);
            toast({ title: "Could not rotate the secret", description: errorMessage(err), variant: "error" });
          }
        }}
      />
      <ConfirmDialog
        open={confirm === "delete"}
        destructive
        title="Delete this endpoint?"
        message="It stops receiving events at once, and its delivery log is deleted with it."
        confirmLabel="Delete endpoint"
        onCancel={() => setConfirm(null)}
        onConfirm={async () => {
          setConfirm(null);
          await act("Endpoint deleted", () => webhooksApi.remove(e.id));
        }}
      />
    </Card>
  );
}
