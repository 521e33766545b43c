import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as validate } from "@/app/api/public/validate/route";
import { setDbForTesting } from "@/lib/db";
import { flushCallLog } from "@/lib/public-api/call-log";
import { apiRequest, makeKey, makeTeam, readJson } from "../api-fixtures";
import { testDatabases, type TestDatabase } from "../databases";

// Issue 9, item 6: the public API reads a body only when its media type is JSON, parsed per RFC 9110.
describe.each(testDatabases())("media types at POST /api/public/validate ($name)", (factory) => {
  let t: TestDatabase;
  let key: string;

  beforeAll(async () => {
    t = await factory.open();
    const team = await makeTeam(t.db, "business");
    key = (await makeKey(team)).secret;
  });
  afterAll(async () => {
    await flushCallLog();
    setDbForTesting(undefined);
    await t.dispose();
  });

  it.each([
    ["application/jsonx", 415],
    ["application/json-seq", 415],
    ["text/json", 415],
    ["application/json, text/plain", 415],
    ["application/json; charset=latin1", 415],
    ["application/x-www-form-urlencoded", 415],
    ["application/json", 200],
    ["Application/JSON; Charset=\"UTF-8\"", 200],
    ["application/vnd.api+json", 200],
  ])("Content-Type %j → %i", async (contentType, status) => {
    setDbForTesting(t.db);
    const res = await validate(apiRequest("/api/public/validate", { key, body: { rfc: "GODE561231GR8" }, contentType }));
    expect(res.status).toBe(status);
    if (status !== 200) expect((await readJson(res)).error?.code).toBe("unsupported_media_type");
  });
});
