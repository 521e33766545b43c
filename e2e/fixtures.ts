import fs from "node:fs";
import path from "node:path";
import { test as base, expect, type BrowserContext } from "@playwright/test";

export { expect };
export type { APIRequestContext, Locator, Page } from "@playwright/test";

/** Where each test appends the session tokens its browsers held, for the secrets sweep. */
export const OBSERVED_SECRETS_FILE = path.join(".data", "e2e-observed-secrets.txt");

const CSP_MESSAGE = /Refused to|Content[- ]Security[- ]Policy|CSP violation/i;

/**
 * Every spec imports `test` from here. For every browser context a test opens (its own and any
 * made with browser.newContext()), it records CSP violations, both the browser's console
 * "Refused to …" messages and `securitypolicyviolation` events, and fails the test if any
 * occurred. It also notes the session cookies the browsers held, so the secrets sweep
 * (e2e/secrets-sweep.ts) can look for them in the database dump and the server's log.
 */
export const test = base.extend<{ cspViolations: string[]; cspGuard: void }>({
  cspViolations: async ({}, provide) => {
    await provide([]);
  },
  cspGuard: [
    async ({ context, browser, cspViolations }, provide) => {
      const contexts: BrowserContext[] = [];
      const watch = async (ctx: BrowserContext) => {
        contexts.push(ctx);
        await ctx.addInitScript(() => {
          document.addEventListener("securitypolicyviolation", (e) => {
            console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
          });
        });
        ctx.on("console", (msg) => {
          if (CSP_MESSAGE.test(msg.text())) cspViolations.push(`${msg.page()?.url() ?? "?"}: ${msg.text()}`);
        });
      };
      await watch(context);
      const original = browser.newContext.bind(browser);
      browser.newContext = async (...args: Parameters<typeof original>) => {
        const ctx = await original(...args);
        await watch(ctx);
        return ctx;
      };
      try {
        await provide();
      } finally {
        browser.newContext = original;
      }
      const tokens: string[] = [];
      for (const ctx of contexts) {
        const cookies = await ctx.cookies().catch(() => []);
        for (const c of cookies) if (c.name === "llavero_session") tokens.push(c.value);
      }
      if (tokens.length > 0) {
        fs.mkdirSync(path.dirname(OBSERVED_SECRETS_FILE), { recursive: true });
        fs.appendFileSync(OBSERVED_SECRETS_FILE, tokens.map((t) => `session ${t}\n`).join(""));
      }
      expect(cspViolations, "Content-Security-Policy violations on the pages this test visited").toEqual([]);
    },
    { auto: true },
  ],
});
