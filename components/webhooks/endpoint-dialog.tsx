"use client";

import { useState, type FormEvent } from "react";
import { ApiError, errorMessage } from "@/lib/client/api-client";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { CheckboxField, TextField } from "@/components/ui/field";
import { SUBSCRIBABLE_EVENT_TYPES } from "@/lib/webhooks/events.schema";
import { webhooksApi, useWebhookAction, type EndpointView } from "./use-webhooks";

interface Props {
  open: boolean;
  onClose: () => void;
  allowPrivate: boolean;
  /** Edit this endpoint (URL, description, events); absent: add a new one. */
  endpoint?: EndpointView;
  /** After an add: the one-time secret. */
  onCreated?: (secret: string, url: string) => void;
  /** After an edit. */
  onSaved?: (endpoint: EndpointView) => void;
}

/**
 * The add-endpoint and edit-endpoint form. Adding hands the one-time secret to `onCreated`;
 * editing PATCHes only URL, description and event types (enable, disable and the secret have
 * their own buttons). The server re-checks the URL either way; its refusal shows on the field.
 */
export function EndpointDialog({ open, onClose, allowPrivate, endpoint, onCreated, onSaved }: Props) {
  const editing = endpoint !== undefined;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={editing ? "Edit endpoint" : "Add an endpoint"}
      description={editing ? "Changes apply to messages sent from now on. The signing secret stays the same." : "We POST each event to this URL, signed per Standard Webhooks."}
      size="lg"
    >
      {/* Mounted only while open, so each opening starts from the endpoint as it is now. */}
      {open ? <EndpointForm onClose={onClose} allowPrivate={allowPrivate} endpoint={endpoint} onCreated={onCreated} onSaved={onSaved} /> : null}
    </Dialog>
  );
}

function EndpointForm({ onClose, allowPrivate, endpoint, onCreated, onSaved }: Omit<Props, "open">) {
  const editing = endpoint !== undefined;
  const [types, setTypes] = useState<string[]>(endpoint?.event_types ?? []);
  const [error, setError] = useState<{ url?: string; form?: string }>({});
  const create = useWebhookAction(webhooksApi.create);
  const update = useWebhookAction(webhooksApi.update);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const url = String(form.get("url") ?? "");
    const description = String(form.get("description") ?? "") || null;
    setError({});
    try {
      if (endpoint) {
        const saved = await update.mutateAsync({ id: endpoint.id, body: { url, description, event_types: types } });
        onSaved?.(saved.endpoint);
      } else {
        const created = await create.mutateAsync({ url, description, event_types: types, enabled: form.get("enabled") === "on" });
        onCreated?.(created.secret, created.endpoint.url);
      }
    } catch (err) {
      const urlError = err instanceof ApiError ? err.details.find((d) => d.path === "url")?.message : undefined;
      setError(urlError ? { url: urlError } : { form: errorMessage(err) });
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <TextField
        label="Endpoint URL"
        name="url"
        type="url"
        required
        defaultValue={endpoint?.url}
        placeholder="https://example.com/webhooks/llavero"
        hint={allowPrivate ? "Private addresses and plain http are allowed on this server (local development)." : "Must be https and reachable on the public internet."}
        error={error.url}
      />
      <TextField label="Description" name="description" maxLength={500} defaultValue={endpoint?.description ?? ""} />
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
              onChange={(ev) => {
                // Read now: React clears currentTarget before a state updater runs.
                const on = ev.currentTarget.checked;
                setTypes((cur) => (on ? [...cur, t] : cur.filter((x) => x !== t)));
              }}
            />
          ))}
        </div>
      </fieldset>
      {editing ? null : <CheckboxField label="Enabled" name="enabled" defaultChecked />}
      {error.form ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error.form}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" loading={editing ? update.isPending : create.isPending}>
          {editing ? "Save changes" : "Add endpoint"}
        </Button>
      </div>
    </form>
  );
}
