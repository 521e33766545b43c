"use client";

import { ConfirmDialog } from "@/components/ui/dialog";
import type { KeyView } from "@/lib/keys/key-view.schema";
import { useRevokeKey } from "./use-keys";

export interface RevokeKeyDialogProps {
  keyView: KeyView | null;
  label: string;
  onClose: () => void;
  /** After success, e.g. to move focus when the row leaves the list. */
  onRevoked?: () => void;
}

/** Destructive confirmation; focus starts on Cancel. Closes before the toast, success or not. */
export function RevokeKeyDialog({ keyView: key, label, onClose, onRevoked }: RevokeKeyDialogProps) {
  const revoke = useRevokeKey({
    onSuccess: () => {
      onClose();
      onRevoked?.();
    },
    onError: onClose,
  });
  return (
    <ConfirmDialog
      open={key !== null}
      title={`Revoke ${label}?`}
      message={
        <>
          Revoking is immediate and final: every request made with this key is refused from now on, and it cannot be enabled again.
          {key?.status === "rotating" ? " Its grace period ends now too." : ""}
        </>
      }
      confirmLabel="Revoke key"
      destructive
      pending={revoke.isPending}
      onCancel={onClose}
      onConfirm={() => (key ? revoke.mutateAsync({ key }).then(() => undefined, () => undefined) : undefined)}
    />
  );
}
