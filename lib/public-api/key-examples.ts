/** Examples for the key-management endpoints' documentation (the OpenAPI test checks them against the schemas). */

export const EXAMPLE_KEY_ID = "9a1c7e52-3d4b-4f6a-8e2d-5c0b1a9f8e73";
export const EXAMPLE_MANAGER_ID = "3f6d2c1a-9b7e-4d5f-8a2c-1e0b9d8c7a6f";
const CREATOR = "81008c20-2868-465c-b7cf-274c481d54ff";

export const KEY_EXAMPLE = {
  id: EXAMPLE_KEY_ID,
  name: "tenant-42",
  description: "Provisioned by the billing backend",
  prefix: "sk_live_Qm7p",
  last4: "c2Rt",
  status: "active",
  created_by: CREATOR,
  creator_email: "ana@cafesol.mx",
  scopes: ["ping", "validate"],
  rate_limit_per_minute: 60,
  rate_limit_enforced: 60,
  plan_name: "Pro",
  ip_allowlist: [],
  use_cap: null,
  expires_at: "2027-02-28T10:00:00.000Z",
  disabled_reason: null,
  disabled_by: null,
  disabled_by_email: null,
  rotated_from_id: null,
  replaced_by_id: null,
  grace_until: null,
  ends_at: "2027-02-28T10:00:00.000Z",
  created_at: "2026-11-30T10:00:00.000Z",
  last_used_at: null,
  last_used_ip: null,
  calls_this_month: 0,
  calls_total: 0,
} as const;

export const CREATE_KEY_BODY_EXAMPLE = { name: "tenant-42", description: "Provisioned by the billing backend", scopes: ["ping", "validate"], expires_in_days: 90 };
export const CREATED_KEY_EXAMPLE = { secret: "sk_live_Qm7pV3xN8kR2wT5yL9aF4hJ6dS1gB0zEc2Rt", key: KEY_EXAMPLE };

export const ROTATED_KEY_EXAMPLE = {
  secret: "sk_live_Hn4sK8vB2mX6qW1eR7tY3uI9oP5aZ0cDf8Lk",
  key: { ...KEY_EXAMPLE, id: "b7e6d5c4-3a2f-4e1d-9c8b-7a6f5e4d3c2b", prefix: "sk_live_Hn4s", last4: "f8Lk", rotated_from_id: EXAMPLE_KEY_ID, created_at: "2026-12-01T09:00:00.000Z" },
  previous: { ...KEY_EXAMPLE, status: "rotating", replaced_by_id: "b7e6d5c4-3a2f-4e1d-9c8b-7a6f5e4d3c2b", grace_until: "2026-12-02T09:00:00.000Z", ends_at: "2026-12-02T09:00:00.000Z" },
};

export const ME_EXAMPLE = {
  key: {
    ...KEY_EXAMPLE,
    id: EXAMPLE_MANAGER_ID,
    name: "provisioning",
    description: null,
    prefix: "sk_live_Ab3d",
    last4: "x9Zq",
    scopes: ["ping", "validate", "keys:manage"],
    expires_at: null,
    calls_this_month: 12,
    calls_total: 40,
  },
  team: { id: "c2b1a0f9-8e7d-4c6b-a5f4-e3d2c1b0a998", name: "Café Sol Media", plan: "pro" },
  creator: { id: CREATOR, email: "ana@cafesol.mx", role: "owner" },
  limits: { rate_limit_per_minute: 60, use_cap: null, monthly_quota: 2000, quota_used: 1800, quota_resets_at: "2026-12-01T00:00:00.000Z", key_limit: 5 },
};
