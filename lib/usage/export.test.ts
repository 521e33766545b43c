import { describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
const { csvRow, exportFileName } = await import("./export");

describe("CSV export", () => {
  it("names the file after the key and the day", () => {
    const day = new Date("2026-11-30T21:00:00Z");
    expect(exportFileName("Production", day)).toBe("Production-calls-2026-11-30.csv");
    expect(exportFileName('Prod "EU", v2 / main', day)).toBe("Prod-EU-v2-main-calls-2026-11-30.csv");
    expect(exportFileName("¡¿", day)).toBe("key-calls-2026-11-30.csv");
  });

  it("writes the summary as the history table words it, not raw JSON", () => {
    const base = { id: "1", created_at: "2026-11-30T10:00:00.000Z", endpoint: "/api/public/validate", method: "POST", status: 200, error_code: null, latency_ms: 3, ip: "127.0.0.1" };
    expect(csvRow({ ...base, summary: { rfc: "GODE561231GR8", valid: true } } as never)).toBe(
      "2026-11-30T10:00:00.000Z,/api/public/validate,POST,200,,yes,3,127.0.0.1,RFC GODE561231GR8 — valid\n",
    );
    expect(csvRow({ ...base, summary: null } as never).endsWith(",127.0.0.1,\n")).toBe(true);
  });
});
