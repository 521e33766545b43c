"use client";

import { useState } from "react";
import type { KeyView } from "@/lib/keys/key-view.schema";
import { DisableKeyDialog } from "./disable-key-dialog";
import { EditKeyDialog } from "./edit-key-dialog";
import { keyLabel, type KeyAction } from "./key-permissions";
import { RenameKeyDialog } from "./rename-key-dialog";
import { RevokeKeyDialog } from "./revoke-key-dialog";
import { RotateKeyDialog } from "./rotate-key-dialog";
import { SecretDialog, type RevealedSecret } from "./secret-dialog";
import { useSetKeyEnabled } from "./use-keys";

export interface SelectedKeyAction {
  action: KeyAction;
  key: KeyView;
}

/**
 * The key actions' state, shared by the keys list and a key's own page so both open the same
 * dialogs: `select` opens the dialog for an action (enable runs at once), `reveal` shows a new
 * secret once.
 */
export function useKeyActions() {
  const [selected, setSelected] = useState<SelectedKeyAction | null>(null);
  // The one-time secret lives only here, and only until the secret dialog closes.
  const [revealed, setRevealed] = useState<RevealedSecret | null>(null);
  const enable = useSetKeyEnabled();
  return {
    selected,
    revealed,
    enable,
    reveal: setRevealed,
    close: () => setSelected(null),
    select(key: KeyView, action: KeyAction) {
      if (action === "enable") enable.mutate({ key, enabled: true });
      else setSelected({ action, key });
    },
  };
}

export interface KeyActionDialogsProps {
  actions: ReturnType<typeof useKeyActions>;
  /** Every key shown beside this one, so labels of rotated generations differ. */
  keys: readonly KeyView[];
  rateCeiling: number;
  planName: string;
  /** Whether the viewer may give the keys:manage scope (owners and admins). */
  canGrantManage: boolean;
  /** After a revoke succeeds (the list moves focus when the row leaves). */
  onRevoked?: () => void;
}

/** Rename, edit, rotate, disable and revoke dialogs plus the one-time secret dialog. */
export function KeyActionDialogs({ actions, keys, rateCeiling, planName, canGrantManage, onRevoked }: KeyActionDialogsProps) {
  const { selected, revealed, close, reveal } = actions;
  const keyFor = (action: KeyAction) => (selected?.action === action ? selected.key : null);
  const labelOf = (key: KeyView | null | undefined) => (key ? keyLabel(key, keys) : "");
  return (
    <>
      <RenameKeyDialog keyView={keyFor("rename")} label={labelOf(keyFor("rename"))} onClose={close} />
      <EditKeyDialog keyView={keyFor("edit")} label={labelOf(keyFor("edit"))} onClose={close} rateCeiling={rateCeiling} planName={planName} canGrantManage={canGrantManage} />
      <RotateKeyDialog
        keyView={keyFor("rotate")}
        label={labelOf(keyFor("rotate"))}
        onClose={close}
        onRotated={({ secret, key, previous }) => {
          close();
          reveal({ secret, key, previous });
        }}
      />
      <DisableKeyDialog keyView={keyFor("disable")} label={labelOf(keyFor("disable"))} onClose={close} />
      <RevokeKeyDialog keyView={keyFor("revoke")} label={labelOf(keyFor("revoke"))} onClose={close} onRevoked={onRevoked} />
      <SecretDialog revealed={revealed} onClose={() => reveal(null)} />
    </>
  );
}
