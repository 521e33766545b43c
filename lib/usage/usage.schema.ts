import { z } from "zod";

export const RANGE_DAYS = [7, 30, 90] as const;
export const STATUS_CLASSES = ["success", "client_error", "server_error"] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

export const usageQuerySchema = z.object({
  days: z.coerce.number().pipe(z.union([z.literal(7), z.literal(30), z.literal(90)])).default(30),
  key_id: z.uuid().optional(),
});
export type UsageQuery = z.infer<typeof usageQuerySchema>;

const dateOnly = z.iso
  .date({ message: "Use a date like 2026-11-22." })
  .refine((d) => d >= "1970-01-01", { message: "Use a date from 1970 on." });

export const historyQuerySchema = z
  .object({
    status: z.enum(STATUS_CLASSES).optional(),
    endpoint: z.string().startsWith("/api/public/").max(100).optional(),
    from: dateOnly.optional(),
    to: dateOnly.optional(),
    // Microseconds since 1970 (16 digits until the year 2286) and an id that fits a bigint.
    cursor: z.string().regex(/^\d{1,16}\.\d{1,18}$/, { message: "Invalid cursor." }).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "The start date must not be after the end date.", path: ["from"] });
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

export interface DailyPoint {
  day: string;
  key_id: string;
  status_class: StatusClass;
  calls: number;
}

export interface UsageSummary {
  range_days: number;
  from: string;
  /**
   * used: this month's metered calls; overage: the part admitted past the quota in force at the
   * time of each call; billing_mode: "stripe" when Stripe is configured, else "none"
   * (development mode: nothing is charged).
   */
  quota: {
    used: number;
    limit: number;
    overage: number;
    month: string;
    /** Calls by month end at the current pace; null in the month's first day. */
    projected: number | null;
    resets_at: string;
    overage_allowed: boolean;
    billing_mode: "stripe" | "none";
  };
  /** `previous`: replaced by a rotation (an older generation of a name). */
  keys: { id: string; name: string; prefix: string; last4: string; previous: boolean; attempts: number; admitted: number }[];
  daily: DailyPoint[];
  endpoints: { endpoint: string; calls: number; errors: number }[];
  error_codes: { error_code: string; calls: number }[];
  /**
   * The range's figures (words as in lib/usage/definitions.ts): attempts = admitted + refused;
   * success/errors split the attempts by answer class (refusals are errors).
   */
  totals: { attempts: number; admitted: number; refused: number; success: number; errors: number };
  as_of: string;
}

export interface CallRow {
  id: number;
  created_at: string;
  endpoint: string;
  method: string;
  status: number | null;
  error_code: string | null;
  latency_ms: number | null;
  ip: string | null;
  summary: Record<string, unknown> | null;
}

export interface CallPage {
  calls: CallRow[];
  next_cursor: string | null;
}
