"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { acceptInvitationAction } from "@/lib/teams/actions";

export function AcceptInvitationButton({ token, teamName }: { token: string; teamName: string }) {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <div className="space-y-3">
      {message ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {message}
        </p>
      ) : null}
      <Button
        className="w-full"
        loading={pending}
        onClick={() =>
          start(async () => {
            const r = await acceptInvitationAction(token);
            if (!r.ok) setMessage(r.message);
          })
        }
      >
        Join {teamName}
      </Button>
    </div>
  );
}
