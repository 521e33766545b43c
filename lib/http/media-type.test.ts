import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isJsonContentType, parseMediaType } from "./media-type";

describe("parseMediaType (RFC 9110 §8.3.1)", () => {
  it("parses type, subtype and parameters, case-insensitive names, quoted values unquoted", () => {
    const mt = parseMediaType(' Application/JSON ; Charset="UTF-8";  q="a\\"b" ;');
    expect(mt?.type).toBe("application");
    expect(mt?.subtype).toBe("json");
    expect(Object.fromEntries(mt!.parameters)).toEqual({ charset: "UTF-8", q: 'a"b' });
  });

  it.each([null, "", " ", "application", "application/", "/json", "application/json, text/plain", "application/json;charset", 'application/json; a="x', "application/json; a=b c", "application /json", "application/json; charset=utf-8; charset=latin1", "appl{}ication/json", "application/json\u0000"])(
    "refuses %j",
    (h) => expect(parseMediaType(h)).toBeNull(),
  );
});

describe("isJsonContentType", () => {
  it.each([
    ["application/json", true],
    ["application/json; charset=utf-8", true],
    ["application/json; charset=UTF-8", true],
    ['application/json;charset="utf-8"', true],
    ["APPLICATION/JSON", true],
    ["application/problem+json", true],
    ["application/vnd.llavero.v1+json; charset=utf-8", true],
    ["application/json; foo=bar", true],
    ["application/jsonx", false],
    ["application/json-patch", false],
    ["application/+json", false],
    ["application/json; charset=latin1", false],
    ["application/json; charset=utf-16", false],
    ["text/json", false],
    ["application/json, text/plain", false],
    ["application/x-www-form-urlencoded", false],
    ["text/plain", false],
    ["multipart/form-data; boundary=x", false],
    [null, false],
    ["", false],
  ])("%j → %s", (h, want) => expect(isJsonContentType(h)).toBe(want));

  it("no suffix glued onto application/json is JSON (property)", () => {
    const tchar = fc.constantFrom(..."abcxyzJSON019-.!#$%&'*^_`|~".split(""));
    fc.assert(fc.property(fc.string({ unit: tchar, minLength: 1, maxLength: 12 }), (suffix) => {
      expect(isJsonContentType(`application/json${suffix}`)).toBe(false);
    }), { numRuns: 2000 });
  });

  it("any charset but utf-8 is refused, any other parameter is ignored (property)", () => {
    const token = fc.stringMatching(/^[A-Za-z0-9-]{1,16}$/);
    fc.assert(fc.property(token, token, token, (name, value, charset) => {
      fc.pre(name.toLowerCase() !== "charset");
      expect(isJsonContentType(`application/json; ${name}=${value}`)).toBe(true);
      expect(isJsonContentType(`application/json; charset=${charset}`)).toBe(charset.toLowerCase() === "utf-8");
    }), { numRuns: 2000 });
  });

  it("never throws and agrees with the parse on arbitrary strings (property)", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 80 }), (s) => {
      const ok = isJsonContentType(s);
      if (ok) expect(parseMediaType(s)?.type).toBe("application");
    }), { numRuns: 5000 });
  });
});
