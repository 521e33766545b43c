import { z } from "zod";

/**
 * PostgreSQL text and jsonb refuse NUL characters and unpaired UTF-16 surrogates, so strings
 * that reach the database are checked at the boundary: a clear 400 instead of a failed write.
 */
export function isStorableText(s: string): boolean {
  return !s.includes("\u0000") && s.isWellFormed();
}

export const STORABLE_TEXT_MESSAGE = "Contains characters that cannot be stored (NUL or an unpaired surrogate).";

export function storableText() {
  return z.string().refine(isStorableText, { message: STORABLE_TEXT_MESSAGE });
}

/** For values built from input after validation (call-log summaries): made storable, not refused. */
export function toStorableText(s: string): string {
  return s.replace(/\u0000/g, "").toWellFormed();
}

/** JSON for a jsonb column: every string made storable first (JSON.stringify would escape them). */
export function toStorableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "string" ? toStorableText(v) : v));
}
