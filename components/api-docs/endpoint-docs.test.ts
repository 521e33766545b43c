import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/public-api/endpoints";
import { accessOf, endpointDocs } from "./endpoint-docs";

describe("accessOf", () => {
  const docs = endpointDocs(openApiDocument("http://localhost:3000"), { baseUrl: "http://localhost:3000", apiKey: "llv_…" });
  const find = (method: string, path: string) => docs.find((d) => d.method === method && d.path === path)!;

  it("says a keyed endpoint open to any scope needs a key (it once read 'no key' for /me)", () => {
    expect(accessOf(find("GET", "/api/public/me"))).toEqual({ kind: "any" });
    expect(accessOf(find("GET", "/api/public/subscription"))).toEqual({ kind: "any" });
  });

  it("tells open endpoints and scoped ones apart", () => {
    expect(accessOf(find("GET", "/api/public/jwks.json"))).toEqual({ kind: "none" });
    expect(accessOf(find("POST", "/api/public/validate"))).toEqual({ kind: "scope", scope: "validate" });
  });
});
