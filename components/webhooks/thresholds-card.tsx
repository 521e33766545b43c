"use client";

import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { apiFetch, ApiError, errorMessage } from "@/lib/client/api-client";
import { queryKeys } from "@/lib/client/query-keys";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { useWebhookAction } from "./use-webhooks";

interface Thresholds {
  builtin: number[];
  percents: number[];
}

/** Parses "50, 90" into [50, 90]; null when any part is not a whole number. */
export function parsePercents(text: string): number[] | null {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (!parts.every((p) => /^\d{1,4}$/.test(p))) return null;
  return parts.map(Number);
}

/** The team's own `quota.threshold` percentages, beside the built-in 80 and 100. */
export function ThresholdsCard() {
  const { toast } = useToast();
  const q = useQuery({ queryKey: queryKeys.webhooks.thresholds, queryFn: ({ signal }) => apiFetch<Thresholds>("/api/webhooks/thresholds", { signal }) });
  const save = useWebhookAction((percents: number[]) => apiFetch<Thresholds>("/api/webhooks/thresholds", { method: "PUT", body: { percents } }));
  const [error, setError] = useState<string | undefined>();

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const percents = parsePercents(String(new FormData(e.currentTarget).get("percents") ?? ""));
    if (!percents) return setError("Enter whole percentages separated by commas, such as 50, 90.");
    setError(undefined);
    try {
      const saved = await save.mutateAsync(percents);
      toast({ title: saved.percents.length ? `Extra thresholds: ${saved.percents.join(", ")} %` : "No extra thresholds", variant: "success" });
    } catch (err) {
      setError(err instanceof ApiError && err.details[0] ? err.details[0].message : errorMessage(err));
    }
  }

  return (
    <Card>
      <CardHeader title="Quota thresholds" description="quota.threshold is sent once a month at 80 % and 100 % of the monthly quota, and at any percentage you add here." headingLevel={2} />
      <CardBody>
        {q.isPending ? (
          <LoadingState label="Loading thresholds" />
        ) : q.isError ? (
          <ErrorState title="Could not load thresholds" message={errorMessage(q.error)} onRetry={() => void q.refetch()} headingLevel={3} />
        ) : (
          <form onSubmit={submit} className="flex flex-wrap items-end gap-2" key={q.data.percents.join(",")}>
            <TextField label="Extra thresholds (%)" name="percents" defaultValue={q.data.percents.join(", ")} placeholder="50, 90" hint="Between 1 and 1000; at most 10." error={error} />
            <Button type="submit" variant="secondary" loading={save.isPending}>
              Save thresholds
            </Button>
          </form>
        )}
      </CardBody>
    </Card>
  );
}
