// Key lifecycle events, emitted by lib/keys/lifecycle.ts inside the same transaction as the
// change (so an event exists only if the change committed).
import type { Queryable } from "@/lib/db/types";
import { emitWebhookEvent } from "./emit";
import type { KeyDisabledReason } from "./events.schema";

export interface KeyRef {
  id: string;
  name: string;
  prefix: string;
}

const ref = (k: KeyRef) => ({ key_id: k.id, key_name: k.name, key_prefix: k.prefix });

export function emitKeyRotated(tx: Queryable, teamId: string, key: KeyRef, newKeyId: string, graceUntil: Date): Promise<string> {
  return emitWebhookEvent(tx, teamId, "key.rotated", { ...ref(key), new_key_id: newKeyId, grace_until: graceUntil.toISOString() });
}

export function emitKeyRevoked(tx: Queryable, teamId: string, key: KeyRef): Promise<string> {
  return emitWebhookEvent(tx, teamId, "key.revoked", ref(key));
}

export function emitKeyDisabled(tx: Queryable, teamId: string, key: KeyRef, reason: KeyDisabledReason): Promise<string> {
  return emitWebhookEvent(tx, teamId, "key.disabled", { ...ref(key), reason });
}
