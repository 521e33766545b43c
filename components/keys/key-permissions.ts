import type { KeyListResponse, KeyView } from "@/lib/keys/key-view.schema";

export type Viewer = KeyListResponse["viewer"];
export type KeyAction = "rename" | "edit" | "rotate" | "disable" | "enable" | "revoke";

/**
 * Which actions the row offers. Mirrors the server's rules (the server still decides):
 * the creator changes what a key is; owners and admins may stop anyone's key; revoked is final.
 */
export function allowedActions(key: KeyView, viewer: Viewer): KeyAction[] {
  if (key.status === "revoked") return [];
  const isCreator = key.created_by === viewer.user_id;
  const isAdmin = viewer.role === "owner" || viewer.role === "admin";
  if (!isCreator && !isAdmin) return [];

  const actions: KeyAction[] = [];
  if (isCreator) actions.push("rename", "edit");
  if (isCreator && !key.replaced_by_id && key.status !== "expired" && key.disabled_reason === null) actions.push("rotate");
  // An expired key stays unusable whatever its switch says; one disabled because its creator left cannot come back.
  if (key.status !== "expired") {
    // An owner's or admin's disable holds until an owner or admin lifts it.
    if (key.disabled_reason === "user" || (key.disabled_reason === "admin" && isAdmin)) actions.push("enable");
    else if (key.disabled_reason === null) actions.push("disable");
  }
  actions.push("revoke");
  return actions;
}

/** `sk_live_Ab12…wxYZ`: all a person needs to tell keys apart; never the secret. */
export function maskedKey(key: Pick<KeyView, "prefix" | "last4">): string {
  return `${key.prefix}…${key.last4}`;
}

/**
 * The name used in accessible labels ("Actions for Production"). After a rotation two keys share a
 * name, so those get the last four characters too: "Production (ending wXyZ)".
 */
export function keyLabel(key: KeyView, all: readonly KeyView[]): string {
  const duplicate = all.some((k) => k.id !== key.id && k.name === key.name);
  return duplicate ? `${key.name} (ending ${key.last4})` : key.name;
}

/**
 * The visible name that tells a key's generations apart. A rotation leaves two keys with one
 * name: those read "Production · sk_live_Ab12…wxYZ", with " (previous)" on the replaced one.
 * A name no other key shares stays as it is (plus " (previous)" when replaced).
 */
export function generationName(
  key: { id: string; name: string; prefix: string; last4: string; previous: boolean },
  all: readonly { id: string; name: string }[],
): string {
  const shared = all.some((k) => k.id !== key.id && k.name === key.name);
  const base = shared ? `${key.name} · ${maskedKey(key)}` : key.name;
  return key.previous ? `${base} (previous)` : base;
}

/**
 * Why "Create key" is disabled at the plan's key limit. A member may see none or few of the
 * keys that fill the slots (they see only their own), so the reason says who holds them.
 */
export function keyLimitReason(limit: KeyListResponse["limit"], viewer: KeyListResponse["viewer"], visible: readonly KeyView[]): string {
  const head = `Limit reached: all ${limit.max} keys allowed on the ${limit.plan} plan are in use.`;
  if (viewer.role !== "member") {
    return viewer.role === "owner" ? `${head} Revoke a key you no longer use, or upgrade.` : `${head} Revoke a key you no longer use, or ask the team's owner to upgrade.`;
  }
  const mine = visible.filter((k) => k.created_by === viewer.user_id && k.status !== "revoked").length;
  const others = Math.max(0, limit.used - mine);
  const held = others > 0 ? ` ${others === 1 ? "One is" : `${others} are`} held by other members of the team.` : "";
  return `${head}${held} ${mine > 0 ? "Revoke one of yours, or ask" : "Ask"} the team's owner or an admin to free a slot or upgrade.`;
}
