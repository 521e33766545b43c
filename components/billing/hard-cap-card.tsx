"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch, errorMessage } from "@/lib/client/api-client";
import { queryKeys } from "@/lib/client/query-keys";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";

/** The monthly overage cap: the owner edits it, admins read it. Empty = no cap; 0 = refuse past the quota. */
export function HardCapCard({ cap, canEdit }: { cap: number | null; canEdit: boolean }) {
  const [value, setValue] = useState(cap === null ? "" : String(cap));
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const { toast } = useToast();
  const qc = useQueryClient();
  const describe = cap === null ? "No cap: every call past the quota is served and billed." : cap === 0 ? "0: calls past the quota are refused." : `At most ${cap.toLocaleString("en-US")} overage calls a month; further calls are refused.`;
  async function save(e: React.FormEvent) {
    e.preventDefault();
    const trimmed = value.trim();
    if (trimmed !== "" && !/^\d+$/.test(trimmed)) {
      setError("Enter a whole number of calls, or leave it empty for no cap.");
      return;
    }
    setError(null);
    setPending(true);
    try {
      await apiFetch("/api/billing/hard-cap", { method: "POST", body: { cap: trimmed === "" ? null : Number(trimmed) } });
      toast({ title: "Hard cap saved", variant: "success" });
      await qc.invalidateQueries({ queryKey: queryKeys.billing });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  }
  return (
    <Card>
      <CardHeader title="Overage hard cap" description={describe} />
      <CardBody>
        {canEdit ? (
          <form onSubmit={save} className="flex flex-wrap items-end gap-3">
            <TextField
              label="Most overage calls per month"
              name="cap"
              inputMode="numeric"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              hint="Leave empty for no cap; 0 refuses every call past the quota."
              error={error ?? undefined}
              className="w-72"
            />
            <Button type="submit" variant="secondary" loading={pending}>
              Save cap
            </Button>
          </form>
        ) : (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Only the team&apos;s owner changes the cap.</p>
        )}
      </CardBody>
    </Card>
  );
}
