"use client";

import { useState, type FormEvent } from "react";
import { errorMessage } from "@/lib/client/api-client";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/field";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { formatDateTime } from "@/lib/format";
import { SUBSCRIBABLE_EVENT_TYPES } from "@/lib/webhooks/events.schema";
import { useDeliveries, useWebhookAction, webhooksApi, type DeliveryFilters, type EndpointView } from "./use-webhooks";

const TONE: Record<string, BadgeTone> = { delivered: "success", retrying: "warning", pending: "info", failed: "danger" };

/** The delivery log with filters, Resend per row, and Replay failed since a time. */
export function DeliveriesTable({ endpoints, filters, onFilters }: { endpoints: EndpointView[]; filters: DeliveryFilters; onFilters: (f: DeliveryFilters) => void }) {
  const { toast } = useToast();
  const q = useDeliveries(filters);
  const action = useWebhookAction(async (fn: () => Promise<{ queued: number }>) => fn());
  const [since, setSince] = useState("");

  async function run(fn: () => Promise<{ queued: number }>, what: string) {
    try {
      const { queued } = await action.mutateAsync(fn);
      toast({ title: `${what}: ${queued} message${queued === 1 ? "" : "s"} queued`, variant: "success" });
    } catch (err) {
      toast({ title: `${what} failed`, description: errorMessage(err), variant: "error" });
    }
  }

  function replay(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!since) return;
    void run(() => webhooksApi.replay(new Date(since).toISOString(), filters.endpoint_id || undefined), "Replay");
  }

  const set = (k: keyof DeliveryFilters) => (ev: { currentTarget: { value: string } }) => onFilters({ ...filters, [k]: ev.currentTarget.value });
  const filtered = Boolean(filters.endpoint_id || filters.status || filters.event_type);
  // Nothing sent yet (no endpoint, or an unfiltered empty log): no filters and no replay form to
  // act on nothing, one empty state that says how the log fills.
  const nothingYet = endpoints.length === 0 || (!filtered && q.isSuccess && q.data.deliveries.length === 0);
  if (nothingYet) {
    return (
      <Card>
        <CardHeader title="Deliveries" description="Every message to every endpoint, newest first. Retries keep the same webhook-id." />
        <CardBody>
          <EmptyState
            title="No deliveries yet"
            description={
              endpoints.length === 0
                ? "Messages appear here once you add an endpoint and something happens: a finished audit, a quota threshold or a key change. Filters and replaying failed messages come with them."
                : "Send a test event to an endpoint to see one here. Filters and replaying failed messages appear with the first delivery."
            }
            headingLevel={3}
          />
        </CardBody>
      </Card>
    );
  }
  return (
    <Card>
      <CardHeader title="Deliveries" description="Every message to every endpoint, newest first. Retries keep the same webhook-id." />
      <CardBody className="space-y-4">
        <div className="grid gap-3 sm:grid-cols-3">
          <SelectField
            label="Endpoint"
            name="endpoint_id"
            value={filters.endpoint_id}
            onChange={set("endpoint_id")}
            options={[{ value: "", label: "All endpoints" }, ...endpoints.map((e) => ({ value: e.id, label: e.url }))]}
          />
          <SelectField
            label="Status"
            name="status"
            value={filters.status}
            onChange={set("status")}
            options={[{ value: "", label: "Any status" }, ...["delivered", "retrying", "pending", "failed"].map((s) => ({ value: s, label: s }))]}
          />
          <SelectField
            label="Event type"
            name="event_type"
            value={filters.event_type}
            onChange={set("event_type")}
            options={[{ value: "", label: "Any event" }, ...[...SUBSCRIBABLE_EVENT_TYPES, "webhook.test"].map((t) => ({ value: t, label: t }))]}
          />
        </div>
        <form onSubmit={replay} aria-label="Replay failed messages" className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
          <div className="flex flex-wrap items-end gap-2">
            <TextField
              label="Replay failed messages since"
              name="since"
              type="datetime-local"
              value={since}
              onChange={(e) => setSince(e.currentTarget.value)}
              required
              hint={filters.endpoint_id ? "Queues every failed message to the chosen endpoint since then, again." : "Queues every failed message to every enabled endpoint since then, again."}
            />
            <Button type="submit" variant="secondary" disabled={!since} loading={action.isPending}>
              Replay failed
            </Button>
          </div>
        </form>
        {q.isPending ? (
          <LoadingState label="Loading deliveries" />
        ) : q.isError ? (
          <ErrorState title="Could not load deliveries" message={errorMessage(q.error)} onRetry={() => void q.refetch()} headingLevel={3} />
        ) : q.data.deliveries.length === 0 ? (
          <EmptyState title="No deliveries" description="Nothing matches these filters yet. Send a test event to an endpoint to see one here." headingLevel={3} />
        ) : (
          <Table caption="Webhook deliveries">
            <THead>
              <TR>
                <TH>Event</TH>
                <TH>Endpoint</TH>
                <TH>Status</TH>
                <TH>Attempts</TH>
                <TH>Last answer</TH>
                <TH>Next retry</TH>
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {q.data.deliveries.map((d) => (
                <TR key={d.id}>
                  <TD>
                    <div className="font-medium">{d.event_type}</div>
                    <div className="font-mono text-xs text-zinc-500">{d.event_id}</div>
                    <div className="text-xs text-zinc-500">{formatDateTime(d.created_at)}</div>
                  </TD>
                  <TD className="max-w-48 truncate font-mono text-xs" title={d.endpoint_url}>
                    {d.endpoint_url}
                  </TD>
                  <TD>
                    <Badge tone={TONE[d.status]}>{d.status}</Badge>
                  </TD>
                  <TD>{d.attempts}</TD>
                  <TD>
                    <div>{d.last_status !== null ? `HTTP ${d.last_status}` : d.last_error ? "No answer" : "—"}{d.last_latency_ms !== null ? ` · ${d.last_latency_ms} ms` : ""}</div>
                    {d.last_error ? <div className="text-xs text-red-700 dark:text-red-400">{d.last_error}</div> : null}
                    {d.last_response_body ? (
                      <details className="text-xs">
                        <summary className="cursor-pointer">Response body</summary>
                        <pre className="max-w-72 overflow-x-auto whitespace-pre-wrap">{d.last_response_body}</pre>
                      </details>
                    ) : null}
                  </TD>
                  <TD>{d.next_attempt_at ? formatDateTime(d.next_attempt_at) : "—"}</TD>
                  <TD>
                    <Button size="sm" variant="secondary" aria-label={`Resend ${d.event_id} to ${d.endpoint_url}`} onClick={() => void run(() => webhooksApi.resend(d.id), "Resend")}>
                      Resend
                    </Button>
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </CardBody>
    </Card>
  );
}
