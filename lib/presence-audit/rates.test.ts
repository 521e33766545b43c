import { describe, expect, it } from "vitest";
import {
  EUR_RATES,
  RATES_AS_OF,
  SUPPORTED_CURRENCIES,
  convert,
  convertAndRound,
  currencyDecimals,
  isSupportedCurrency,
  roundMoney,
} from "./rates";

describe("rates table", () => {
  it("is dated", () => {
    expect(RATES_AS_OF).toMatch(/^2026-11-\d{2}$/);
    expect(Number.isNaN(Date.parse(RATES_AS_OF))).toBe(false);
  });

  it("covers the required currencies with positive rates, EUR as base", () => {
    for (const c of ["EUR", "USD", "MXN", "GBP", "COP", "BRL", "ARS", "CLP", "PEN", "CAD", "JPY"]) {
      expect(isSupportedCurrency(c)).toBe(true);
    }
    expect(isSupportedCurrency("XYZ")).toBe(false);
    for (const c of SUPPORTED_CURRENCIES) expect(EUR_RATES[c]).toBeGreaterThan(0);
    expect(EUR_RATES.EUR).toBe(1);
  });
});

describe("convert", () => {
  it("is the identity for the same currency", () => {
    expect(convert(123.456, "MXN", "MXN")).toBe(123.456);
  });

  it("uses units-per-EUR rates and crosses through EUR", () => {
    expect(convert(100, "EUR", "USD")).toBeCloseTo(100 * EUR_RATES.USD, 10);
    expect(convert(100, "USD", "EUR")).toBeCloseTo(100 / EUR_RATES.USD, 10);
    expect(convert(100, "USD", "MXN")).toBeCloseTo((100 / EUR_RATES.USD) * EUR_RATES.MXN, 10);
  });

  it("round trips between every pair", () => {
    for (const a of SUPPORTED_CURRENCIES) {
      for (const b of SUPPORTED_CURRENCIES) {
        const x = 1234.5678;
        expect(Math.abs(convert(convert(x, a, b), b, a) - x)).toBeLessThan(1e-9);
      }
    }
  });

  it("rejects non-finite amounts", () => {
    expect(() => convert(Number.NaN, "EUR", "USD")).toThrow(RangeError);
    expect(() => convert(Number.POSITIVE_INFINITY, "EUR", "USD")).toThrow(RangeError);
  });
});

describe("roundMoney", () => {
  it("uses 0 decimals for JPY, CLP and COP and 2 elsewhere", () => {
    expect(currencyDecimals("JPY")).toBe(0);
    expect(currencyDecimals("CLP")).toBe(0);
    expect(currencyDecimals("COP")).toBe(0);
    expect(currencyDecimals("EUR")).toBe(2);
    expect(roundMoney(1234.5, "JPY")).toBe(1235);
    expect(roundMoney(1234.567, "EUR")).toBe(1234.57);
  });

  it("rounds half away from zero despite binary floating point", () => {
    expect(roundMoney(1.005, "EUR")).toBe(1.01);
    expect(roundMoney(2.675, "USD")).toBe(2.68);
    expect(roundMoney(-1.005, "EUR")).toBe(-1.01);
    expect(Object.is(roundMoney(-0.001, "EUR"), 0)).toBe(true);
  });

  it("convertAndRound rounds in the target currency", () => {
    expect(convertAndRound(10, "EUR", "COP")).toBe(10 * EUR_RATES.COP);
    expect(convertAndRound(1, "USD", "EUR")).toBe(Math.round((1 / EUR_RATES.USD) * 100) / 100);
  });
});
