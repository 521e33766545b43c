"use client";

import { useState } from "react";
import { dismissFirstKeyAction } from "@/lib/auth/actions";
import { SecretDialog, type RevealedSecret } from "./secret-dialog";

/**
 * The first key made at sign-up, shown once on the first dashboard view with the keys page's own
 * one-time dialog. The layout renders this on every view (with null after the first), so a later
 * refresh of the layout does not unmount a dialog still open; closing it drops the secret from
 * state and clears the reveal cookie.
 */
export function FirstKeyDialog({ revealed }: { revealed: RevealedSecret | null }) {
  const [shown, setShown] = useState(revealed);
  return (
    <SecretDialog
      revealed={shown}
      onClose={() => {
        setShown(null);
        void dismissFirstKeyAction();
      }}
    />
  );
}
