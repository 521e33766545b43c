import { afterEach, describe, expect, it, vi } from "vitest";
import { apiFetch, clearValidatedCache } from "./api-client";

afterEach(() => {
  vi.unstubAllGlobals();
  clearValidatedCache();
});

describe("apiFetch conditional reads", () => {
  it("sends If-None-Match with the last ETag of a URL and reuses the body on 304", async () => {
    const seen: Array<string | null> = [];
    const answers = [
      new Response(JSON.stringify({ n: 1 }), { status: 200, headers: { etag: 'W/"one"', "content-type": "application/json" } }),
      new Response(null, { status: 304, headers: { etag: 'W/"one"' } }),
      new Response(JSON.stringify({ n: 2 }), { status: 200, headers: { etag: 'W/"two"', "content-type": "application/json" } }),
    ];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: RequestInit) => {
        seen.push((init.headers as Record<string, string>)["if-none-match"] ?? null);
        return answers.shift()!;
      }),
    );
    const first = await apiFetch<{ n: number }>("/api/usage?days=30");
    const second = await apiFetch<{ n: number }>("/api/usage?days=30");
    const third = await apiFetch<{ n: number }>("/api/usage?days=30");
    expect(seen).toEqual([null, 'W/"one"', 'W/"one"']);
    expect(second).toBe(first); // the same object: nothing re-renders
    expect(third).toEqual({ n: 2 });
  });

  it("never sends If-None-Match on writes nor for another URL", async () => {
    const seen: Array<string | null> = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: RequestInit) => {
        seen.push((init.headers as Record<string, string>)["if-none-match"] ?? null);
        return new Response(JSON.stringify({}), { status: 200, headers: { etag: 'W/"e"' } });
      }),
    );
    await apiFetch("/api/usage?days=7");
    await apiFetch("/api/usage?days=30");
    await apiFetch("/api/usage?days=7", { method: "POST", body: {} });
    expect(seen).toEqual([null, null, null]);
  });
});
