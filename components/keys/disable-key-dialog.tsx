"use client";

import { ConfirmDialog } from "@/components/ui/dialog";
import type { KeyView } from "@/lib/keys/key-view.schema";
import { useSetKeyEnabled } from "./use-keys";

export interface DisableKeyDialogProps {
  keyView: KeyView | null;
  label: string;
  onClose: () => void;
}

/** Disabling asks first (it breaks callers at once); enabling is a plain row action. */
export function DisableKeyDialog({ keyView: key, label, onClose }: DisableKeyDialogProps) {
  const disable = useSetKeyEnabled({ onSuccess: onClose, onError: onClose });
  return (
    <ConfirmDialog
      open={key !== null}
      title={`Disable ${label}?`}
      message="Requests made with this key are refused until you enable it again. Nothing else about the key changes."
      confirmLabel="Disable key"
      pending={disable.isPending}
      onCancel={onClose}
      onConfirm={() => (key ? disable.mutateAsync({ key, enabled: false }).then(() => undefined, () => undefined) : undefined)}
    />
  );
}
