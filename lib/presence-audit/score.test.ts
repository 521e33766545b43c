import { describe, expect, it } from "vitest";
import {
  type AuditInput,
  type BusinessInput,
  type CompetitorInput,
  LIMITS,
  SUPPORTED_CATEGORIES,
  auditInputSchema,
  auditQuerySchema,
} from "./audit-input.schema";
import { SUPPORTED_CURRENCIES, convert, convertAndRound } from "./rates";
import {
  COMPLETENESS_WEIGHTS,
  WEIGHTS,
  buildStoredAudit,
  candidateActions,
  compareActions,
  computeAudit,
  renderAudit,
  revenueLostMonthly,
  scoreBusiness,
} from "./score";
import { storedAuditSchema } from "./stored";
import { mulberry32 } from "@/lib/prng";

const EXAMPLE = {
  business: {
    id: "place-123", name: "Café Sol", category: "restaurant", rating: 4.1, review_count: 38, photo_count: 6,
    review_response_rate: 0.2, posts_last_90_days: 0, has_website: true, has_hours: false, has_phone: true,
    description_length: 40, monthly_searches: 1200, average_ticket: 18,
  },
  competitors: [{ name: "Bar Luna", rating: 4.6, review_count: 210, photo_count: 80 }],
  lang: "es",
  currency: "EUR",
};
const example = (): AuditInput => auditInputSchema.parse(structuredClone(EXAMPLE));
const OPTS = { auditId: "aud_1", generatedAt: "2026-11-05T10:00:00.000Z" };

const prng = mulberry32;
type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
/** Log-uniform-ish integer with extra mass on the edges, where clamps live. */
function count(rng: Rng, max: number): number {
  const r = rng();
  if (r < 0.1) return 0;
  if (r < 0.15) return max;
  return Math.min(max, Math.floor(Math.expm1(rng() * Math.log1p(max))));
}
const ratingValue = (rng: Rng) => (rng() < 0.1 ? pick(rng, [0, 5]) : Math.round(rng() * 50) / 10);
/** Strictly larger value in [cur, max]: sometimes +1, sometimes a jump. */
function bumpInt(rng: Rng, cur: number, max: number): number {
  if (cur >= max) return cur;
  return rng() < 0.5 ? cur + 1 : cur + 1 + Math.floor(rng() * (max - cur));
}
const lowerInt = (rng: Rng, cur: number) => (cur === 0 ? 0 : rng() < 0.5 ? cur - 1 : Math.floor(rng() * cur));

function randomCompetitor(rng: Rng, i: number): CompetitorInput {
  return { name: `Rival ${i}`, rating: ratingValue(rng), review_count: count(rng, LIMITS.maxReviews), photo_count: count(rng, LIMITS.maxPhotos) };
}
function randomInput(rng: Rng): AuditInput {
  const n = Math.floor(rng() * (LIMITS.maxCompetitors + 1));
  return {
    business: {
      id: `place-${Math.floor(rng() * 1e6)}`, name: "Negocio", category: pick(rng, SUPPORTED_CATEGORIES),
      rating: ratingValue(rng), review_count: count(rng, LIMITS.maxReviews), photo_count: count(rng, LIMITS.maxPhotos),
      review_response_rate: rng() < 0.1 ? pick(rng, [0, 1]) : rng(), posts_last_90_days: count(rng, LIMITS.maxPosts90d),
      has_website: rng() < 0.5, has_hours: rng() < 0.5, has_phone: rng() < 0.5,
      description_length: count(rng, LIMITS.maxDescription), monthly_searches: count(rng, LIMITS.maxMonthlySearches),
      average_ticket: Math.max(0.01, Math.round(rng() * 50_000) / 100),
    },
    competitors: Array.from({ length: n }, (_, i) => randomCompetitor(rng, i)),
    lang: pick(rng, ["es", "en"] as const),
    currency: pick(rng, SUPPORTED_CURRENCIES),
  };
}

type Improver = (rng: Rng, b: BusinessInput) => Partial<BusinessInput>;
const IMPROVERS: Record<string, Improver> = {
  rating: (rng, b) => ({ rating: b.rating + rng() * (5 - b.rating) }),
  review_count: (rng, b) => ({ review_count: bumpInt(rng, b.review_count, LIMITS.maxReviews) }),
  photo_count: (rng, b) => ({ photo_count: bumpInt(rng, b.photo_count, LIMITS.maxPhotos) }),
  review_response_rate: (rng, b) => ({ review_response_rate: b.review_response_rate + rng() * (1 - b.review_response_rate) }),
  posts_last_90_days: (rng, b) => ({ posts_last_90_days: bumpInt(rng, b.posts_last_90_days, LIMITS.maxPosts90d) }),
  has_website: () => ({ has_website: true }),
  has_hours: () => ({ has_hours: true }),
  has_phone: () => ({ has_phone: true }),
  description_length: (rng, b) => ({ description_length: bumpInt(rng, b.description_length, LIMITS.maxDescription) }),
};
type Worsener = (rng: Rng, c: CompetitorInput) => Partial<CompetitorInput>;
const WORSENERS: Record<string, Worsener> = {
  rating: (rng, c) => ({ rating: c.rating * rng() }),
  review_count: (rng, c) => ({ review_count: lowerInt(rng, c.review_count) }),
  photo_count: (rng, c) => ({ photo_count: lowerInt(rng, c.photo_count) }),
};

describe("scoreBusiness", () => {
  it("has weights summing to 100", () => {
    expect(Object.values(WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
    expect(Object.values(COMPLETENESS_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(WEIGHTS.completeness);
  });

  it("is deterministic and scores the example", () => {
    const a = scoreBusiness(example());
    expect(scoreBusiness(example())).toEqual(a);
    expect(a.score).toBe(Math.round(a.raw));
    expect(a.score).toBe(29);
  });

  it("gives 100 to a saturated profile and a low score to an empty one", () => {
    const input = example();
    const best = { ...input.business, rating: 5, review_count: LIMITS.maxReviews, photo_count: LIMITS.maxPhotos, review_response_rate: 1, posts_last_90_days: 90, has_hours: true, description_length: 800 };
    expect(scoreBusiness({ business: best, competitors: input.competitors }).score).toBe(100);
    const worst = { ...input.business, rating: 0, review_count: 0, photo_count: 0, review_response_rate: 0, posts_last_90_days: 0, has_website: false, has_hours: false, has_phone: false, description_length: 0 };
    expect(scoreBusiness({ business: worst, competitors: input.competitors }).score).toBe(0);
  });

  it("property: over 2,000 random inputs, improving any single input never lowers the score or raises revenue lost", () => {
    const rng = prng(20261102);
    let checks = 0;
    for (let i = 0; i < 2000; i++) {
      const input = randomInput(rng);
      if (i % 100 === 0) expect(auditInputSchema.safeParse(input).success).toBe(true);
      const base = scoreBusiness(input);
      expect(Number.isInteger(base.score) && base.score >= 0 && base.score <= 100).toBe(true);
      for (const [field, improve] of Object.entries(IMPROVERS)) {
        const business = { ...input.business, ...improve(rng, input.business) };
        const after = scoreBusiness({ business, competitors: input.competitors });
        if (after.score < base.score || after.raw < base.raw) throw new Error(`${field} improvement lowered score at sample ${i}`);
        expect(revenueLostMonthly(business, after.raw)).toBeLessThanOrEqual(revenueLostMonthly(input.business, base.raw));
        checks++;
      }
      input.competitors.forEach((c, ci) => {
        for (const [field, worsen] of Object.entries(WORSENERS)) {
          const competitors = input.competitors.map((x, xi) => (xi === ci ? { ...x, ...worsen(rng, x) } : x));
          const after = scoreBusiness({ business: input.business, competitors });
          if (after.score < base.score || after.raw < base.raw) throw new Error(`competitor ${field} drop lowered score at sample ${i}`);
          checks++;
        }
      });
      const money = { ...input.business, monthly_searches: count(rng, LIMITS.maxMonthlySearches), average_ticket: 1 + rng() * 1000 };
      expect(scoreBusiness({ business: money, competitors: input.competitors }).raw).toBe(base.raw);
    }
    expect(checks).toBeGreaterThan(18_000);
  });
});

describe("computeAudit", () => {
  it("is deterministic for the same input and options", () => {
    expect(computeAudit(example(), OPTS)).toEqual(computeAudit(example(), OPTS));
  });

  it("produces the documented shape", () => {
    const r = computeAudit(example(), OPTS);
    expect(r.business_id).toBe("place-123");
    expect(r.revenue_lost).toEqual({ monthly: 382.41, currency: "EUR" });
    expect(r.meta).toEqual({ audit_id: "aud_1", generated_at: OPTS.generatedAt, lang: "es", currency: "EUR", model_version: "1" });
    expect(r.top_actions.map((a) => a.id)).toEqual(["get_reviews", "respond_reviews", "add_photos"]);
    expect(computeAudit(example(), { auditId: "x", generatedAt: new Date(OPTS.generatedAt) }).meta.generated_at).toBe(OPTS.generatedAt);
  });

  it("always returns exactly three unique actions sorted by gain, revenue, id; gains match a re-score", () => {
    const rng = prng(7);
    for (let i = 0; i < 300; i++) {
      const input = randomInput(rng);
      const stored = buildStoredAudit(input, OPTS);
      expect(stored.actions).toHaveLength(3);
      expect(new Set(stored.actions.map((a) => a.id)).size).toBe(3);
      expect([...stored.actions].sort(compareActions)).toEqual(stored.actions);
      const now = scoreBusiness(input);
      for (const c of candidateActions(input.business, now.benchmarks)) {
        const gain = scoreBusiness({ business: c.after, competitors: input.competitors }).score - now.score;
        expect(gain).toBeGreaterThanOrEqual(0);
        const chosen = stored.actions.find((a) => a.id === c.id);
        if (chosen) expect(chosen.score_gain).toBe(gain);
      }
      const r = renderAudit(stored, input.lang, input.currency);
      expect(r.top_actions).toHaveLength(3);
      for (let k = 1; k < 3; k++) expect(r.top_actions[k - 1]!.score_gain).toBeGreaterThanOrEqual(r.top_actions[k]!.score_gain);
      for (const a of r.top_actions) expect(`${a.title} ${a.detail}`).not.toMatch(/undefined|NaN|Infinity/);
    }
  });

  it("fills with zero-gain maintenance actions when nothing is left to improve", () => {
    const input = example();
    input.business = { ...input.business, rating: 5, review_count: 5000, photo_count: 5000, review_response_rate: 1, posts_last_90_days: 20, has_hours: true, description_length: 600 };
    const r = computeAudit(input, OPTS);
    expect(r.score).toBe(100);
    expect(r.top_actions.map((a) => [a.id, a.score_gain, a.revenue_monthly])).toEqual([
      ["maintain_photos", 0, 0],
      ["maintain_reviews", 0, 0],
      ["monitor_competitors", 0, 0],
    ]);
    expect(r.revenue_lost.monthly).toBe(0);
  });

  it("works with no competitors", () => {
    const input = { ...example(), competitors: [] };
    const r = computeAudit(input, OPTS);
    expect(r.top_actions).toHaveLength(3);
    expect(r.top_actions.map((a) => a.detail).join(" ")).not.toMatch(/competidores suelen/);
  });

  it("prices average_ticket in the input currency", () => {
    const eur = computeAudit(example(), OPTS);
    const mxnInput = example();
    mxnInput.currency = "MXN";
    mxnInput.business.average_ticket = convert(18, "EUR", "MXN");
    const viaMxn = computeAudit(mxnInput, { ...OPTS, currency: "EUR" });
    expect(viaMxn.revenue_lost.monthly).toBeCloseTo(eur.revenue_lost.monthly, 2);
    expect(viaMxn.score).toBe(eur.score);
  });
});

describe("renderAudit", () => {
  const stored = buildStoredAudit(example(), OPTS);
  const strip = (r: ReturnType<typeof renderAudit>) => ({ ...r, top_actions: r.top_actions.map((a) => ({ id: a.id, score_gain: a.score_gain, revenue_monthly: a.revenue_monthly })), meta: { ...r.meta, lang: null } });

  it("reproduces computeAudit exactly in the original language and currency", () => {
    expect(renderAudit(stored, "es", "EUR")).toEqual(computeAudit(example(), OPTS));
  });

  it("survives a JSON round trip and validates against storedAuditSchema", () => {
    const back = storedAuditSchema.parse(JSON.parse(JSON.stringify(stored)));
    expect(renderAudit(back, "en", "USD")).toEqual(renderAudit(stored, "en", "USD"));
  });

  it("changes text but not numbers between es and en", () => {
    const es = renderAudit(stored, "es", "EUR");
    const en = renderAudit(stored, "en", "EUR");
    expect(strip(es)).toEqual(strip(en));
    es.top_actions.forEach((a, i) => {
      expect(a.title).not.toBe(en.top_actions[i]!.title);
      expect(a.detail).not.toBe(en.top_actions[i]!.detail);
    });
    expect(es.top_actions.map((a) => a.title)).toContain("Consigue más reseñas");
    expect(es.top_actions[0]!.detail).toMatch(/72,07\s€/); // Intl uses a no-break space
    expect(en.top_actions[0]!.detail).toContain("€72.07");
  });

  it("converts money without re-scoring, and round trips through another currency", () => {
    const eur = renderAudit(stored, "es", "EUR");
    for (const cur of SUPPORTED_CURRENCIES) {
      const r = renderAudit(stored, "en", cur);
      expect(r.score).toBe(eur.score);
      expect(r.top_actions.map((a) => [a.id, a.score_gain])).toEqual(eur.top_actions.map((a) => [a.id, a.score_gain]));
      expect(r.revenue_lost).toEqual({ monthly: convertAndRound(stored.revenue_lost_monthly, "EUR", cur), currency: cur });
      expect(convert(convert(stored.revenue_lost_monthly, "EUR", cur), cur, "EUR")).toBeCloseTo(stored.revenue_lost_monthly, 9);
    }
  });
});

describe("auditInputSchema", () => {
  const withBusiness = (patch: Record<string, unknown>) => ({ ...EXAMPLE, business: { ...EXAMPLE.business, ...patch } });

  it("accepts the example and applies defaults", () => {
    const parsed = auditInputSchema.parse({ business: EXAMPLE.business });
    expect(parsed.lang).toBe("es");
    expect(parsed.currency).toBe("EUR");
    expect(parsed.competitors).toEqual([]);
    expect(auditInputSchema.parse({ ...EXAMPLE, currency: "usd", lang: "EN" })).toMatchObject({ currency: "USD", lang: "en" });
  });

  it("maps unknown categories to other", () => {
    expect(auditInputSchema.parse(withBusiness({ category: "Beauty Salon" })).business.category).toBe("beauty_salon");
    expect(auditInputSchema.parse(withBusiness({ category: "tattoo_parlor" })).business.category).toBe("other");
  });

  it.each([
    ["rating 6", withBusiness({ rating: 6 })],
    ["negative review_count", withBusiness({ review_count: -1 })],
    ["fractional photo_count", withBusiness({ photo_count: 1.5 })],
    ["response rate > 1", withBusiness({ review_response_rate: 1.2 })],
    ["average_ticket 0", withBusiness({ average_ticket: 0 })],
    ["empty id", withBusiness({ id: "" })],
    ["id too long", withBusiness({ id: "x".repeat(129) })],
    ["description too long", withBusiness({ description_length: 10_001 })],
    ["searches over limit", withBusiness({ monthly_searches: 10_000_001 })],
    ["extra business field", withBusiness({ email: "a@b.c" })],
    ["11 competitors", { ...EXAMPLE, competitors: Array.from({ length: 11 }, () => EXAMPLE.competitors[0]) }],
    ["extra competitor field", { ...EXAMPLE, competitors: [{ ...EXAMPLE.competitors[0], url: "x" }] }],
    ["unknown currency", { ...EXAMPLE, currency: "XYZ" }],
    ["unknown lang", { ...EXAMPLE, lang: "fr" }],
    ["extra top-level field", { ...EXAMPLE, debug: true }],
  ])("rejects %s", (_name, body) => {
    expect(auditInputSchema.safeParse(body).success).toBe(false);
  });
});

describe("auditQuerySchema", () => {
  it("applies defaults, also for empty values", () => {
    expect(auditQuerySchema.parse({ business_id: "place-1" })).toEqual({ business_id: "place-1", lang: "es", currency: "EUR" });
    expect(auditQuerySchema.parse({ business_id: "place-1", lang: "", currency: "" })).toEqual({ business_id: "place-1", lang: "es", currency: "EUR" });
    expect(auditQuerySchema.parse({ business_id: "place-1", lang: "en", currency: "mxn" })).toEqual({ business_id: "place-1", lang: "en", currency: "MXN" });
  });

  it("rejects missing id, unsupported values and unknown keys", () => {
    expect(auditQuerySchema.safeParse({}).success).toBe(false);
    expect(auditQuerySchema.safeParse({ business_id: "p", lang: "de" }).success).toBe(false);
    expect(auditQuerySchema.safeParse({ business_id: "p", currency: "BTC" }).success).toBe(false);
    expect(auditQuerySchema.safeParse({ business_id: "p", foo: "1" }).success).toBe(false);
  });
});
