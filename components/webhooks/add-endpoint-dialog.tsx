"use client";

import { useState, type FormEvent } from "react";
import { ApiError, errorMessage } from "@/lib/client/api-client";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { CheckboxField, TextField } from "@/components/ui/field";
import { SUBSCRIBABLE_EVENT_TYPES } from "@/lib/webhooks/events.schema";
import { webhooksApi, useWebhookAction } from "./use-webhooks";

/** The add-endpoint form; on success hands the one-time secret to `onCreated`. */
export function AddEndpointDialog({ open, onClose, onCreated, allowPrivate }: { open: boolean; onClose: () => void; onCreated: (secret: string, url: string) => void; allowPrivate: boolean }) {
  const [types, setTypes] = useState<string[]>([]);
  const [error, setError] = useState<{ url?: string; form?: string }>({});
  const create = useWebhookAction(webhooksApi.create);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setError({});
    try {
      const { secret, endpoint } = await create.mutateAsync({
        url: String(form.get("url") ?? ""),
        description: String(form.get("description") ?? "") || null,
        event_types: types,
        enabled: form.get("enabled") === "on",
      });
      setTypes([]);
      onCreated(secret, endpoint.url);
    } catch (err) {
      const url = err instanceof ApiError ? err.details.find((d) => d.path === "url")?.message : undefined;
      setError(url ? { url } : { form: errorMessage(err) });
    }
  }

  return (
    <Dialog open={open} onClose={onClose} title="Add an endpoint" description="We POST each event to this URL, signed per Standard Webhooks." size="lg">
      <form onSubmit={submit} className="space-y-4" noValidate>
        <TextField
          label="Endpoint URL"
          name="url"
          type="url"
          required
          placeholder="https://example.com/webhooks/llavero"
          hint={allowPrivate ? "Private addresses and plain http are allowed on this server (local development)." : "Must be https and reachable on the public internet."}
          error={error.url}
        />
        <TextField label="Description" name="description" maxLength={500} />
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium">Events</legend>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">None selected: every event.</p>
          <div className="grid gap-1 sm:grid-cols-2">
            {SUBSCRIBABLE_EVENT_TYPES.map((t) => (
              <CheckboxField
                key={t}
                label={t}
                name={`event-${t}`}
                checked={types.includes(t)}
                onChange={(ev) => setTypes((cur) => (ev.currentTarget.checked ? [...cur, t] : cur.filter((x) => x !== t)))}
              />
            ))}
          </div>
        </fieldset>
        <CheckboxField label="Enabled" name="enabled" defaultChecked />
        {error.form ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {error.form}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Add endpoint
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
