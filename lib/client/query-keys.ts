/**
 * Every React Query key the dashboard uses, in one place: a mutation invalidates by prefix
 * (`queryKeys.keys.all` covers every key list), so the prefixes must be shared, not retyped.
 */
export interface CallFilterKey {
  status: string | null;
  endpoint: string | null;
  from: string | null;
  to: string | null;
}

export const queryKeys = {
  keys: {
    all: ["keys"] as const,
    list: (includeRevoked: boolean) => ["keys", { includeRevoked }] as const,
  },
  /** The key activity log (GET /api/audit-log). */
  activity: ["audit-log"] as const,
  /** The billing page's overview (GET /api/billing/status). */
  billing: ["billing"] as const,
  usage: {
    summary: (days: number, keyId: string | null) => ["usage", "summary", { days, keyId }] as const,
    calls: (keyId: string, filters: CallFilterKey) => ["usage", "calls", keyId, filters] as const,
    callsHead: (keyId: string, filters: CallFilterKey) => ["usage", "calls-head", keyId, filters] as const,
  },
  webhooks: {
    /** Every webhook query: a mutation on the page refreshes endpoints, deliveries and thresholds. */
    all: ["webhooks"] as const,
    endpoints: ["webhooks", "endpoints"] as const,
    deliveries: (filters: { endpoint_id: string; status: string; event_type: string }) => ["webhooks", "deliveries", filters] as const,
    thresholds: ["webhooks", "thresholds"] as const,
  },
};
