import type { AuditInput, BusinessInput, Category, CompetitorInput, Lang } from "./audit-input.schema";
import { LIMITS } from "./audit-input.schema";
import { renderActionText } from "./messages";
import { type Currency, convertAndRound } from "./rates";
import {
  type ActionId,
  type StoredAction,
  type StoredAudit,
  MAINTAIN_ACTION_IDS,
  MODEL_VERSION,
} from "./stored";

export { MODEL_VERSION } from "./stored";
export type { StoredAudit, StoredAction, ActionId } from "./stored";

/** Points per component; they sum to 100 (asserted in tests). */
export const WEIGHTS = { rating: 25, reviews: 20, photos: 15, responses: 15, posts: 10, completeness: 15 } as const;
export const COMPLETENESS_WEIGHTS = { website: 4, hours: 4, phone: 3, description: 4 } as const;
export type ComponentId = keyof typeof WEIGHTS;

/**
 * A pseudo-competitor mixed into every benchmark (weight of one competitor),
 * so 0 competitors still gives a sensible reference and one outlier rival
 * does not swing the score alone.
 */
export const PRIOR = { rating: 4.3, reviews: 100, photos: 40 } as const;
/** Absolute levels at which a component's "absolute" half saturates. */
export const SATURATION = { ratingFloor: 3, reviews: 250, photos: 100, posts90d: 12, description: 250 } as const;
/** Being 4× the typical competitor (in log1p terms) maxes the relative half. */
const REL_LOG_SPAN = Math.log(4);
/** Half a star above the benchmark maxes the relative half of the rating. */
const REL_RATING_SPAN = 1;

/** Share of searches that become a profile action (call, directions, web) at score 0 and 100. */
export const CTR_AT_0 = 0.02;
export const CTR_AT_100 = 0.12;
/** Share of profile actions that end in a purchase, by category. */
export const CONVERSION: Readonly<Record<Category, number>> = {
  restaurant: 0.25, cafe: 0.3, bar: 0.25, bakery: 0.3, hotel: 0.05, retail: 0.15, grocery: 0.3,
  beauty_salon: 0.2, barbershop: 0.25, spa: 0.15, gym: 0.05, dentist: 0.1, medical_clinic: 0.1,
  veterinary: 0.15, auto_repair: 0.15, home_services: 0.1, lawyer: 0.05, real_estate: 0.02, other: 0.15,
};

export interface Benchmarks {
  /** Prior-shrunk values the score compares against. */
  rating: number;
  reviewsLog: number;
  photosLog: number;
  /** Plain competitor figures for the texts; null without competitors. */
  competitorRating: number | null;
  competitorReviews: number | null;
  competitorPhotos: number | null;
  competitors: number;
}

export interface ScoreBreakdown {
  /** Integer 0..100: Math.round(raw). */
  score: number;
  /** Unrounded sum of components, used for money so small gains still count. */
  raw: number;
  components: Record<ComponentId, number>;
  benchmarks: Benchmarks;
}

export type ScoreInput = Pick<AuditInput, "business" | "competitors">;

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);
const round1 = (x: number) => Math.round(x * 10) / 10;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

export function computeBenchmarks(competitors: readonly CompetitorInput[]): Benchmarks {
  const n = competitors.length;
  const ratings = competitors.map((c) => c.rating);
  const reviewLogs = competitors.map((c) => Math.log1p(c.review_count));
  const photoLogs = competitors.map((c) => Math.log1p(c.photo_count));
  return {
    rating: (sum(ratings) + PRIOR.rating) / (n + 1),
    reviewsLog: (sum(reviewLogs) + Math.log1p(PRIOR.reviews)) / (n + 1),
    photosLog: (sum(photoLogs) + Math.log1p(PRIOR.photos)) / (n + 1),
    competitorRating: n ? round1(sum(ratings) / n) : null,
    competitorReviews: n ? Math.round(Math.expm1(sum(reviewLogs) / n)) : null,
    competitorPhotos: n ? Math.round(Math.expm1(sum(photoLogs) / n)) : null,
    competitors: n,
  };
}

/** Half absolute level, half standing against the benchmark (log scale). */
function logComponent(value: number, saturation: number, benchLog: number): number {
  const v = Math.log1p(value);
  const absolute = clamp01(v / Math.log1p(saturation));
  const relative = clamp01(0.5 + (v - benchLog) / REL_LOG_SPAN);
  return 0.5 * absolute + 0.5 * relative;
}

export function scoreBusiness(input: ScoreInput): ScoreBreakdown {
  const b = input.business;
  const bench = computeBenchmarks(input.competitors);
  const ratingAbs = clamp01((b.rating - SATURATION.ratingFloor) / (5 - SATURATION.ratingFloor));
  const ratingRel = clamp01(0.5 + (b.rating - bench.rating) / REL_RATING_SPAN);
  const components: Record<ComponentId, number> = {
    rating: WEIGHTS.rating * (0.5 * ratingAbs + 0.5 * ratingRel),
    reviews: WEIGHTS.reviews * logComponent(b.review_count, SATURATION.reviews, bench.reviewsLog),
    photos: WEIGHTS.photos * logComponent(b.photo_count, SATURATION.photos, bench.photosLog),
    responses: WEIGHTS.responses * clamp01(b.review_response_rate),
    posts: WEIGHTS.posts * clamp01(Math.log1p(b.posts_last_90_days) / Math.log1p(SATURATION.posts90d)),
    completeness:
      (b.has_website ? COMPLETENESS_WEIGHTS.website : 0) +
      (b.has_hours ? COMPLETENESS_WEIGHTS.hours : 0) +
      (b.has_phone ? COMPLETENESS_WEIGHTS.phone : 0) +
      COMPLETENESS_WEIGHTS.description * clamp01(b.description_length / SATURATION.description),
  };
  const raw = Math.min(100, Math.max(0, sum(Object.values(components))));
  return { score: Math.round(raw), raw, components, benchmarks: bench };
}

/**
 * Monthly revenue lost versus a perfect profile, in the currency of
 * average_ticket: searches × CTR gap × conversion × ticket.
 */
export function revenueLostMonthly(business: BusinessInput, raw: number): number {
  const ctrGap = (CTR_AT_100 - CTR_AT_0) * (1 - raw / 100);
  return business.monthly_searches * ctrGap * CONVERSION[business.category] * business.average_ticket;
}

interface Candidate {
  id: ActionId;
  after: BusinessInput;
  params: Record<string, number>;
}

/** Each improvement moves one input to a target; none applies if already there. */
export function candidateActions(b: BusinessInput, bench: Benchmarks): Candidate[] {
  const out: Candidate[] = [];
  const add = (id: ActionId, applies: boolean, patch: Partial<BusinessInput>, params: Record<string, number>) => {
    if (applies) out.push({ id, after: { ...b, ...patch }, params });
  };
  const withRivals = (key: string, v: number | null): Record<string, number> => (v === null ? {} : { [key]: v });

  const ratingTarget = Math.min(5, round1(Math.max(4.5, bench.rating + 0.3)));
  add("improve_rating", b.rating < ratingTarget, { rating: ratingTarget }, {
    current: b.rating, target: ratingTarget, ...withRivals("competitor_avg", bench.competitorRating),
  });
  const reviewsTarget = Math.min(LIMITS.maxReviews, Math.max(100, Math.ceil(2 * Math.expm1(bench.reviewsLog))));
  add("get_reviews", b.review_count < reviewsTarget, { review_count: reviewsTarget }, {
    current: b.review_count, target: reviewsTarget, ...withRivals("competitor_typical", bench.competitorReviews),
  });
  const photosTarget = Math.min(LIMITS.maxPhotos, Math.max(50, Math.ceil(2 * Math.expm1(bench.photosLog))));
  add("add_photos", b.photo_count < photosTarget, { photo_count: photosTarget }, {
    current: b.photo_count, target: photosTarget, ...withRivals("competitor_typical", bench.competitorPhotos),
  });
  // With no reviews there is nothing to answer; asking for replies would read as nonsense.
  add("respond_reviews", b.review_count > 0 && b.review_response_rate < 1, { review_response_rate: 1 }, {
    current: b.review_response_rate, target: 1,
  });
  add("post_updates", b.posts_last_90_days < SATURATION.posts90d, { posts_last_90_days: SATURATION.posts90d }, {
    current: b.posts_last_90_days, target: SATURATION.posts90d,
  });
  add("add_website", !b.has_website, { has_website: true }, {});
  add("add_hours", !b.has_hours, { has_hours: true }, {});
  add("add_phone", !b.has_phone, { has_phone: true }, {});
  add("improve_description", b.description_length < SATURATION.description, { description_length: SATURATION.description }, {
    current: b.description_length, target: SATURATION.description,
  });
  return out;
}

/** Largest gain first, then larger revenue, then id so equal actions never reorder. */
export function compareActions(a: StoredAction, b: StoredAction): number {
  return b.score_gain - a.score_gain || b.revenue_monthly - a.revenue_monthly || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export interface AuditOptions {
  auditId: string;
  generatedAt: string | Date;
  /** Output language; defaults to input.lang. */
  lang?: Lang;
  /** Output currency; defaults to input.currency. */
  currency?: Currency;
}

export function buildStoredAudit(input: AuditInput, opts: Pick<AuditOptions, "auditId" | "generatedAt">): StoredAudit {
  const b = input.business;
  const now = scoreBusiness(input);
  const improvements: StoredAction[] = candidateActions(b, now.benchmarks).map((c) => {
    const after = scoreBusiness({ business: c.after, competitors: input.competitors });
    return {
      id: c.id,
      score_gain: Math.max(0, after.score - now.score),
      revenue_monthly: Math.max(0, revenueLostMonthly(b, now.raw) - revenueLostMonthly(b, after.raw)),
      params: c.params,
    };
  });
  const top = improvements.sort(compareActions).slice(0, 3);
  for (const id of MAINTAIN_ACTION_IDS) {
    if (top.length >= 3) break;
    top.push({ id, score_gain: 0, revenue_monthly: 0, params: id === "monitor_competitors" ? { competitors: now.benchmarks.competitors } : {} });
  }
  return {
    model_version: MODEL_VERSION,
    audit_id: opts.auditId,
    business_id: b.id,
    generated_at: typeof opts.generatedAt === "string" ? opts.generatedAt : opts.generatedAt.toISOString(),
    score: now.score,
    currency: input.currency,
    revenue_lost_monthly: revenueLostMonthly(b, now.raw),
    actions: top.sort(compareActions),
  };
}

export interface AuditAction {
  id: ActionId;
  title: string;
  detail: string;
  score_gain: number;
  revenue_monthly: number;
}

export interface AuditResult {
  business_id: string;
  score: number;
  revenue_lost: { monthly: number; currency: Currency };
  /** Always exactly three. */
  top_actions: AuditAction[];
  meta: { audit_id: string; generated_at: string; lang: Lang; currency: Currency; model_version: typeof MODEL_VERSION };
}

/** Presents a stored audit in any language/currency without re-scoring. */
export function renderAudit(stored: StoredAudit, lang: Lang, currency: Currency): AuditResult {
  const money = (amount: number) => convertAndRound(amount, stored.currency, currency);
  return {
    business_id: stored.business_id,
    score: stored.score,
    revenue_lost: { monthly: money(stored.revenue_lost_monthly), currency },
    top_actions: stored.actions.map((a) => {
      const revenue = money(a.revenue_monthly);
      return { id: a.id, ...renderActionText(a.id, a.params, { lang, currency, revenueMonthly: revenue }), score_gain: a.score_gain, revenue_monthly: revenue };
    }),
    meta: { audit_id: stored.audit_id, generated_at: stored.generated_at, lang, currency, model_version: stored.model_version },
  };
}

export function computeAudit(input: AuditInput, opts: AuditOptions): AuditResult {
  return renderAudit(buildStoredAudit(input, opts), opts.lang ?? input.lang, opts.currency ?? input.currency);
}
