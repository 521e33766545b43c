import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./safe-redirect";

describe("safeRedirectPath", () => {
  it.each(["/keys", "/team?tab=invites", "/invite/abc#x"])("keeps relative path %s", (p) => {
    expect(safeRedirectPath(p)).toBe(p);
  });
  it.each([
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/ok\nSet-Cookie: x",
    "",
    undefined,
    42,
    "keys",
    "/.//evil.example",
    "/a/..//evil.example",
    "/%2e//evil.example",
    "/./\\evil.example",
  ])("falls back for %s", (p) => {
    expect(safeRedirectPath(p)).toBe("/keys");
  });
});
