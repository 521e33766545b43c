import { describe, expect, it } from "vitest";
import { createEndpointSchema } from "./endpoint-input.schema";
import { checkEndpointUrl } from "./endpoints";

const publicDns = async () => ["8.8.8.8"];

describe("endpoint URL rules at save", () => {
  it("requires https unless private addresses are allowed", async () => {
    await expect(checkEndpointUrl("http://hooks.example/x", { allowPrivate: false, resolve: publicDns })).rejects.toMatchObject({ code: "invalid_request" });
    await expect(checkEndpointUrl("https://hooks.example/x", { allowPrivate: false, resolve: publicDns })).resolves.toBeUndefined();
    await expect(checkEndpointUrl("http://127.0.0.1:9999/x", { allowPrivate: true })).resolves.toBeUndefined();
  });

  it("tells a developer how to allow their own machine, and only outside production", async () => {
    await expect(checkEndpointUrl("http://127.0.0.1:9/hook", { allowPrivate: false, development: true })).rejects.toThrow(/WEBHOOKS_ALLOW_PRIVATE=true/);
    await expect(checkEndpointUrl("https://127.0.0.1:9/hook", { allowPrivate: false, development: true, resolve: async () => ["127.0.0.1"] })).rejects.toThrow(/WEBHOOKS_ALLOW_PRIVATE=true/);
    await expect(checkEndpointUrl("http://127.0.0.1:9/hook", { allowPrivate: false })).rejects.not.toThrow(/WEBHOOKS_ALLOW_PRIVATE/);
  });
  it.each(["https://127.1/", "https://2130706433/", "https://0x7f.1/", "https://[::ffff:127.0.0.1]/", "https://[::1]/", "https://0.0.0.0/", "https://169.254.169.254/latest/meta-data", "https://100.64.0.1/", "https://224.0.0.1/"])(
    "refuses %s with a 400 on url",
    async (url) => {
      const err = await checkEndpointUrl(url, { allowPrivate: false, resolve: publicDns }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: "invalid_request", status: 400, details: [{ path: "url" }] });
    },
  );
  it("refuses a name resolving to loopback", async () => {
    await expect(checkEndpointUrl("https://rebind.example/", { allowPrivate: false, resolve: async () => ["127.0.0.1"] })).rejects.toMatchObject({ code: "invalid_request" });
  });
  it("validates the shape with zod", () => {
    expect(createEndpointSchema.safeParse({ url: "ftp://x.example/" }).success).toBe(false);
    expect(createEndpointSchema.safeParse({ url: "https://u:p@x.example/" }).success).toBe(false);
    expect(createEndpointSchema.safeParse({ url: "not a url" }).success).toBe(false);
    expect(createEndpointSchema.safeParse({ url: "https://x.example/", event_types: ["nope"] }).success).toBe(false);
    expect(createEndpointSchema.parse({ url: " https://x.example/h " })).toEqual({ url: "https://x.example/h", event_types: [], enabled: true });
  });
});
