import { describe, expect, it } from "vitest";
import { readBodyCapped } from "./read-body";

function chunked(parts: string[]): Request {
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const p of parts) c.enqueue(new TextEncoder().encode(p));
      c.close();
    },
  });
  return new Request("http://x/", { method: "POST", body, duplex: "half" } as RequestInit);
}

describe("readBodyCapped", () => {
  it("returns the text of a body within the cap", async () => {
    expect(await readBodyCapped(new Request("http://x/", { method: "POST", body: "héllo" }), 10)).toBe("héllo");
    expect(await readBodyCapped(new Request("http://x/"), 10)).toBe("");
  });
  it("refuses a declared length over the cap without reading", async () => {
    const req = new Request("http://x/", { method: "POST", body: "x", headers: { "content-length": "100" } });
    expect(await readBodyCapped(req, 10)).toBeNull();
  });
  it("refuses a chunked body as soon as it passes the cap", async () => {
    expect(await readBodyCapped(chunked(["12345", "67890", "1"]), 10)).toBeNull();
    expect(await readBodyCapped(chunked(["12345", "67890"]), 10)).toBe("1234567890");
  });
});
