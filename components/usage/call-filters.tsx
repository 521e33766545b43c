"use client";

import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { STATUS_CLASSES } from "@/lib/usage/usage.schema";
import { STATUS_LABEL } from "./usage-format";
import { ENDPOINT_FILTERS, hasFilters, type HistoryFilters } from "./use-usage";

const STATUS_OPTIONS = STATUS_CLASSES.map((c) => ({ value: c, label: STATUS_LABEL[c] }));
const ENDPOINT_OPTIONS = ENDPOINT_FILTERS.map((e) => ({ value: e.value, label: e.label }));

export interface CallFiltersProps {
  /** The filters in the URL. */
  filters: HistoryFilters;
  onChange: (changes: Partial<Record<keyof HistoryFilters, string | null>>) => void;
  onClear: () => void;
  dateError?: string;
}

/**
 * Status, endpoint and date filters. The URL is the source of truth; the form keeps its own copy
 * so a control shows the new value at once while the navigation that applies it is in flight.
 */
export function CallFilters({ filters, onChange, onClear, dateError }: CallFiltersProps) {
  const [draft, setDraft] = useState<HistoryFilters>(filters);
  // Follow the URL when it changes from elsewhere (back/forward, "Clear filters").
  const urlKey = JSON.stringify(filters);
  const [seen, setSeen] = useState(urlKey);
  if (seen !== urlKey) {
    setSeen(urlKey);
    setDraft(filters);
  }
  const firstControl = useRef<HTMLSelectElement>(null);
  const set = (name: keyof HistoryFilters, value: string) => {
    setDraft((d) => ({ ...d, [name]: value || undefined }));
    onChange({ [name]: value || null });
  };
  return (
    <form
      role="search"
      aria-label="Filter calls"
      className="flex flex-wrap items-start gap-4"
      onSubmit={(event) => event.preventDefault()}
    >
      <SelectField
        label="Status"
        name="status"
        placeholder="All statuses"
        options={STATUS_OPTIONS}
        value={draft.status ?? ""}
        ref={firstControl}
        onChange={(e) => set("status", e.target.value)}
        className="w-44"
      />
      <SelectField
        label="Endpoint"
        name="endpoint"
        placeholder="All endpoints"
        options={ENDPOINT_OPTIONS}
        value={draft.endpoint ?? ""}
        onChange={(e) => set("endpoint", e.target.value)}
        className="w-44"
      />
      <TextField
        label="From"
        name="from"
        type="date"
        hint="UTC"
        value={draft.from ?? ""}
        max={draft.to}
        error={dateError}
        onChange={(e) => set("from", e.target.value)}
        className="w-44"
      />
      <TextField
        label="To"
        name="to"
        type="date"
        hint="UTC, included"
        value={draft.to ?? ""}
        min={draft.from}
        onChange={(e) => set("to", e.target.value)}
        className="w-44"
      />
      {hasFilters(draft) ? (
        <Button
          variant="ghost"
          className="mt-7"
          onClick={() => {
            setDraft({});
            onClear();
            // The button goes away with the filters: keep focus in the form.
            firstControl.current?.focus();
          }}
        >
          Clear filters
        </Button>
      ) : null}
    </form>
  );
}
