import { z } from "zod";
import { storableText } from "@/lib/schemas/safe-text";
import { SUPPORTED_CURRENCIES } from "./rates";

export const SUPPORTED_LANGS = ["es", "en"] as const;
export type Lang = (typeof SUPPORTED_LANGS)[number];

/**
 * Categories the model knows a conversion rate for. Google's own taxonomy has
 * thousands of categories, so unknown values fall back to "other" instead of
 * failing the request: a typo costs precision, not availability.
 */
export const SUPPORTED_CATEGORIES = [
  "restaurant",
  "cafe",
  "bar",
  "bakery",
  "hotel",
  "retail",
  "grocery",
  "beauty_salon",
  "barbershop",
  "spa",
  "gym",
  "dentist",
  "medical_clinic",
  "veterinary",
  "auto_repair",
  "home_services",
  "lawyer",
  "real_estate",
  "other",
] as const;
export type Category = (typeof SUPPORTED_CATEGORIES)[number];

export function normalizeCategory(raw: string): Category {
  const key = raw.trim().toLowerCase().replace(/[\s-]+/g, "_");
  return (SUPPORTED_CATEGORIES as readonly string[]).includes(key) ? (key as Category) : "other";
}

export const LIMITS = {
  maxCompetitors: 10,
  maxReviews: 1_000_000,
  maxPhotos: 1_000_000,
  maxPosts90d: 1_000,
  maxDescription: 10_000,
  maxMonthlySearches: 10_000_000,
  maxAverageTicket: 10_000_000,
} as const;

// Case-insensitive because API clients disagree on casing (Stripe sends "eur").
const lower = (v: unknown) => (typeof v === "string" ? v.trim().toLowerCase() : v);
const upper = (v: unknown) => (typeof v === "string" ? v.trim().toUpperCase() : v);

export const langSchema = z.preprocess(lower, z.enum(SUPPORTED_LANGS));
export const currencySchema = z.preprocess(upper, z.enum(SUPPORTED_CURRENCIES));

const rating = z.number().min(0).max(5);
const count = (max: number) => z.number().int().min(0).max(max);

export const categorySchema = storableText().trim().min(1).max(100).transform(normalizeCategory);

export const businessSchema = z
  .object({
    id: storableText().trim().min(1).max(128),
    name: storableText().trim().min(1).max(200),
    category: categorySchema,
    rating,
    review_count: count(LIMITS.maxReviews),
    photo_count: count(LIMITS.maxPhotos),
    review_response_rate: z.number().min(0).max(1),
    posts_last_90_days: count(LIMITS.maxPosts90d),
    has_website: z.boolean(),
    has_hours: z.boolean(),
    has_phone: z.boolean(),
    description_length: count(LIMITS.maxDescription),
    monthly_searches: count(LIMITS.maxMonthlySearches),
    average_ticket: z.number().positive().max(LIMITS.maxAverageTicket),
  })
  .strict();

export const competitorSchema = z
  .object({
    name: storableText().trim().min(1).max(200),
    rating,
    review_count: count(LIMITS.maxReviews),
    photo_count: count(LIMITS.maxPhotos),
  })
  .strict();

export const auditInputSchema = z
  .object({
    business: businessSchema,
    competitors: z.array(competitorSchema).max(LIMITS.maxCompetitors).default([]),
    lang: langSchema.default("es"),
    currency: currencySchema.default("EUR"),
  })
  .strict();

// Query strings send "" for `?lang=`; treat that as "not given" so the default applies.
const emptyToUndefined = (v: unknown) => (v === "" ? undefined : v);

export const auditQuerySchema = z
  .object({
    business_id: storableText().trim().min(1).max(128),
    lang: z.preprocess(emptyToUndefined, langSchema.default("es")),
    currency: z.preprocess(emptyToUndefined, currencySchema.default("EUR")),
  })
  .strict();

export type AuditInput = z.output<typeof auditInputSchema>;
export type AuditInputBody = z.input<typeof auditInputSchema>;
export type BusinessInput = z.output<typeof businessSchema>;
export type CompetitorInput = z.output<typeof competitorSchema>;
export type AuditQuery = z.output<typeof auditQuerySchema>;
export type { Currency } from "./rates";
