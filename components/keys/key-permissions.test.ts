import { describe, expect, it } from "vitest";
import type { KeyView } from "@/lib/keys/key-view.schema";
import { allowedActions, generationName, keyLabel, keyLimitReason, maskedKey, type Viewer } from "./key-permissions";

const CREATOR = "u-creator";
const OTHER = "u-other";

function key(overrides: Partial<KeyView> = {}): KeyView {
  return {
    id: "k1",
    name: "Production",
    description: null,
    prefix: "sk_live_Ab12",
    last4: "wxYZ",
    status: "active",
    created_by: CREATOR,
    creator_email: "creator@example.com",
    scopes: ["ping"],
    rate_limit_per_minute: 60,
    rate_limit_enforced: 60,
    plan_name: "Pro",
    ip_allowlist: [],
    use_cap: null,
    expires_at: null,
    disabled_reason: null,
    disabled_by: null,
    disabled_by_email: null,
    rotated_from_id: null,
    replaced_by_id: null,
    grace_until: null,
    ends_at: null,
    created_at: "2026-11-01T00:00:00.000Z",
    last_used_at: null,
    last_used_ip: null,
    calls_this_month: 0,
    calls_total: 0,
    ...overrides,
  };
}

const viewer = (user_id: string, role: Viewer["role"]): Viewer => ({ user_id, role });

describe("allowedActions", () => {
  it("gives the creator every action on an active key", () => {
    expect(allowedActions(key(), viewer(CREATOR, "member"))).toEqual(["rename", "edit", "rotate", "disable", "revoke"]);
  });

  it("lets owners and admins stop someone else's key, but not change what it is", () => {
    for (const role of ["owner", "admin"] as const) {
      expect(allowedActions(key(), viewer(OTHER, role)), role).toEqual(["disable", "revoke"]);
    }
  });

  it("offers a member nothing on someone else's key", () => {
    expect(allowedActions(key(), viewer(OTHER, "member"))).toEqual([]);
  });

  it("offers nothing on a revoked key, whoever asks", () => {
    expect(allowedActions(key({ status: "revoked" }), viewer(CREATOR, "owner"))).toEqual([]);
  });

  it("offers enable instead of disable on a key its owner disabled, and no rotation", () => {
    expect(allowedActions(key({ status: "disabled", disabled_reason: "user" }), viewer(CREATOR, "member"))).toEqual(["rename", "edit", "enable", "revoke"]);
  });

  it("never re-enables a key disabled because its creator left", () => {
    expect(allowedActions(key({ status: "disabled", disabled_reason: "member_removed" }), viewer(OTHER, "admin"))).toEqual(["revoke"]);
  });

  it("neither rotates nor switches an expired key", () => {
    expect(allowedActions(key({ status: "expired" }), viewer(CREATOR, "member"))).toEqual(["rename", "edit", "revoke"]);
  });

  it("does not rotate a key already replaced by a rotation", () => {
    expect(allowedActions(key({ status: "rotating", replaced_by_id: "k2" }), viewer(CREATOR, "member"))).toEqual(["rename", "edit", "disable", "revoke"]);
  });
});

describe("maskedKey and keyLabel", () => {
  it("masks to prefix and last four", () => {
    expect(maskedKey(key())).toBe("sk_live_Ab12…wxYZ");
  });

  it("adds the last four only when another key has the same name", () => {
    const a = key();
    const b = key({ id: "k2", last4: "QQQQ" });
    expect(keyLabel(a, [a])).toBe("Production");
    expect(keyLabel(a, [a, b])).toBe("Production (ending wxYZ)");
  });
});

describe("generationName", () => {
  it("tells rotated generations apart by prefix and marks the replaced one as previous", () => {
    const old = { id: "k1", name: "Production", prefix: "sk_live_Ab12", last4: "wxYZ", previous: true };
    const cur = { id: "k2", name: "Production", prefix: "sk_live_Cd34", last4: "abCD", previous: false };
    const other = { id: "k3", name: "Staging", prefix: "sk_live_Ef56", last4: "efGH", previous: false };
    const all = [old, cur, other];
    expect(generationName(old, all)).toBe("Production · sk_live_Ab12…wxYZ (previous)");
    expect(generationName(cur, all)).toBe("Production · sk_live_Cd34…abCD");
    expect(generationName(other, all)).toBe("Staging");
  });
});

describe("keyLimitReason", () => {
  const limit = { used: 2, max: 2, plan: "Free" };
  it("tells a member whose team's slots are used by others", () => {
    expect(keyLimitReason(limit, viewer(OTHER, "member"), [])).toBe(
      "Limit reached: all 2 keys allowed on the Free plan are in use. 2 are held by other members of the team. Ask the team's owner or an admin to free a slot or upgrade.",
    );
    expect(keyLimitReason(limit, viewer(CREATOR, "member"), [key()])).toContain("One is held by other members of the team. Revoke one of yours");
  });
  it("tells the owner to revoke or upgrade", () => {
    expect(keyLimitReason(limit, viewer(CREATOR, "owner"), [key(), key({ id: "k2" })])).toBe(
      "Limit reached: all 2 keys allowed on the Free plan are in use. Revoke a key you no longer use, or upgrade.",
    );
  });
});
