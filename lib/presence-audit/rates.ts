/**
 * Currency table for the audit model.
 *
 * Source: ECB euro foreign exchange reference rates style (units of currency
 * per 1 EUR), rounded. The ECB does not publish ARS, CLP, COP or PEN; those use
 * market mid rates of the same day, rounded. The values are a snapshot, not a
 * live feed: update by editing this file (rates and RATES_AS_OF together).
 * Bumping rates does not change scores, only converted money amounts.
 */

export const RATES_AS_OF = "2026-11-02";

export const SUPPORTED_CURRENCIES = [
  "EUR",
  "USD",
  "GBP",
  "MXN",
  "COP",
  "BRL",
  "ARS",
  "CLP",
  "PEN",
  "CAD",
  "JPY",
  "CHF",
  "AUD",
] as const;

export type Currency = (typeof SUPPORTED_CURRENCIES)[number];

/** Units of each currency per 1 EUR. */
export const EUR_RATES: Readonly<Record<Currency, number>> = {
  EUR: 1,
  USD: 1.16,
  GBP: 0.88,
  MXN: 21.4,
  COP: 4480,
  BRL: 6.25,
  ARS: 1620,
  CLP: 1095,
  PEN: 3.95,
  CAD: 1.62,
  JPY: 176,
  CHF: 0.93,
  AUD: 1.77,
};

/**
 * Decimals shown for each currency. JPY, CLP and COP are quoted in whole units
 * in everyday use (COP/CLP cents do not circulate), so we round those to 0.
 */
const DECIMALS: Readonly<Record<Currency, number>> = {
  EUR: 2,
  USD: 2,
  GBP: 2,
  MXN: 2,
  COP: 0,
  BRL: 2,
  ARS: 2,
  CLP: 0,
  PEN: 2,
  CAD: 2,
  JPY: 0,
  CHF: 2,
  AUD: 2,
};

export function isSupportedCurrency(value: string): value is Currency {
  return (SUPPORTED_CURRENCIES as readonly string[]).includes(value);
}

export function currencyDecimals(currency: Currency): number {
  return DECIMALS[currency];
}

/**
 * Converts through EUR without rounding, so chained conversions do not
 * accumulate rounding error; round only when presenting (see roundMoney).
 */
export function convert(amount: number, from: Currency, to: Currency): number {
  if (!Number.isFinite(amount)) throw new RangeError(`convert: amount must be finite, got ${amount}`);
  if (from === to) return amount;
  return (amount / EUR_RATES[from]) * EUR_RATES[to];
}

/**
 * Rounds half away from zero to the currency's decimals. The tiny epsilon
 * nudge keeps values like 1.005 (stored as 1.00499999…) rounding up, which is
 * what a person checking the maths by hand expects.
 */
export function roundMoney(amount: number, currency: Currency): number {
  if (!Number.isFinite(amount)) throw new RangeError(`roundMoney: amount must be finite, got ${amount}`);
  const factor = 10 ** DECIMALS[currency];
  const sign = amount < 0 ? -1 : 1;
  const rounded = (sign * Math.round(Math.abs(amount) * factor * (1 + Number.EPSILON))) / factor;
  return rounded === 0 ? 0 : rounded; // avoid -0 in JSON consumers that care
}

/** convert() followed by roundMoney() in the target currency. */
export function convertAndRound(amount: number, from: Currency, to: Currency): number {
  return roundMoney(convert(amount, from, to), to);
}
