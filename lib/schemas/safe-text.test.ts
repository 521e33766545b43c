import { describe, expect, it } from "vitest";
import { isStorableText, storableText, toStorableJson, toStorableText } from "./safe-text";

describe("storable text", () => {
  it("refuses NUL and unpaired surrogates, accepts the rest of Unicode", () => {
    expect(isStorableText("café-😀 Ñ&")).toBe(true);
    expect(isStorableText("a\u0000b")).toBe(false);
    expect(isStorableText("x\ud800")).toBe(false);
    expect(storableText().safeParse("a\u0000b").success).toBe(false);
  });
  it("makes derived values storable instead of refusing them", () => {
    expect(toStorableText("a\u0000b\ud800")).toBe("ab\ufffd");
    expect(toStorableJson({ rfc: "GODE\u0000", n: 1 })).toBe('{"rfc":"GODE","n":1}');
  });
});
