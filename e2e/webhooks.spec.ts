import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "./fixtures";
import { Webhook } from "standardwebhooks";
import { expectOnDashboard, inviteAndJoin, signUp, uniqueEmail } from "./helpers";

interface Hit {
  headers: Record<string, string>;
  body: string;
}

/** A receiver on 127.0.0.1 (random port) that answers 200 and keeps what it got. */
async function startReceiver(): Promise<{ url: string; hits: Hit[]; close: () => Promise<void> }> {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      hits.push({ headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("received");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/hook`, hits, close: () => new Promise((r) => server.close(() => r())) };
}

test("an owner adds an endpoint, sees its secret once, sends a test event and resends it", async ({ page, browser }) => {
  const rx = await startReceiver();
  try {
    await signUp(page, uniqueEmail("webhooks"));
    await expectOnDashboard(page);
    await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Webhooks" }).click();
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
    await expect(page.getByRole("note").filter({ hasText: "Private addresses allowed" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "No endpoints yet" })).toBeVisible();

    // A loopback spelling is refused only when private addresses are not allowed; here it is
    // allowed, but a non-URL is always refused with a message on the field.
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const add = page.getByRole("dialog", { name: "Add an endpoint" });
    await add.getByLabel("Endpoint URL").fill("not a url");
    await add.getByRole("button", { name: "Add endpoint" }).click();
    await expect(add.getByText("Enter a full URL")).toBeVisible();
    await add.getByLabel("Endpoint URL").fill(rx.url);
    await add.getByLabel("Description").fill("Local receiver");
    await add.getByRole("button", { name: "Add endpoint" }).click();

    const reveal = page.getByRole("dialog", { name: "Your endpoint's signing secret" });
    await expect(reveal).toContainText("This signing secret will not be shown again");
    const secret = await reveal.getByRole("textbox", { name: "Signing secret" }).inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await expect(reveal.getByRole("button", { name: "Copy signing secret" })).toBeVisible();
    // Esc does not drop a secret that is never shown again: it asks first, like the API-key dialog.
    await page.keyboard.press("Escape");
    await expect(reveal).toBeVisible();
    await expect(reveal.getByRole("alert")).toContainText("Have you copied the signing secret?");
    await expect(reveal.getByRole("button", { name: "Go back to the signing secret" })).toBeFocused();
    await reveal.getByRole("button", { name: "Go back to the signing secret" }).click();
    await expect(reveal.getByRole("alert")).toHaveCount(0);
    await expect(reveal.getByRole("textbox", { name: "Signing secret" })).toHaveValue(secret);
    await reveal.getByRole("button", { name: "I have copied it" }).click();
    await expect(reveal).toBeHidden();
    // Never again: not on the page, not in the list's JSON.
    await expect(page.getByRole("heading", { name: rx.url })).toBeVisible();
    expect(await page.content()).not.toContain(secret);
    const listed = await page.request.get("/api/webhooks/endpoints");
    expect(await listed.text()).not.toContain(secret.slice(6));

    await page.getByRole("button", { name: "Send test event" }).click();
    await expect.poll(() => rx.hits.length, { timeout: 15_000 }).toBe(1);
    const first = new Webhook(secret).verify(rx.hits[0]!.body, rx.hits[0]!.headers) as { type: string };
    expect(first.type).toBe("webhook.test");
    const eventId = rx.hits[0]!.headers["webhook-id"]!;

    const deliveries = page.getByRole("table", { name: "Webhook deliveries" });
    const row = deliveries.getByRole("row").filter({ hasText: eventId });
    await expect(row).toContainText("delivered", { timeout: 10_000 });
    await expect(row).toContainText("HTTP 200");

    await row.getByRole("button", { name: `Resend ${eventId}` }).click();
    await expect.poll(() => rx.hits.length, { timeout: 15_000 }).toBe(2);
    expect(rx.hits[1]!.headers["webhook-id"]).toBe(eventId);
    new Webhook(secret).verify(rx.hits[1]!.body, rx.hits[1]!.headers);
    await expect(row).toContainText("delivered");

    // Filters: nothing failed.
    await page.getByLabel("Status").selectOption("failed");
    await expect(page.getByRole("heading", { name: "No deliveries" })).toBeVisible();

    // Edit: a bad URL is refused on the field; then the description and the events change.
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    const edit = page.getByRole("dialog", { name: "Edit endpoint" });
    await expect(edit.getByLabel("Endpoint URL")).toHaveValue(rx.url);
    await expect(edit.getByLabel("Description")).toHaveValue("Local receiver");
    await edit.getByLabel("Endpoint URL").fill("ftp://example.com/hook");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(edit.getByText("The URL must start with https://.")).toBeVisible();
    await edit.getByLabel("Endpoint URL").fill(rx.url);
    await edit.getByLabel("Description").fill("Receiver, audits only");
    await edit.getByLabel("audit.completed").check();
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(edit).toBeHidden();
    await expect(page.getByText("Receiver, audits only")).toBeVisible();
    await expect(page.getByText("Events: audit.completed")).toBeVisible();
    const saved = (await (await page.request.get("/api/webhooks/endpoints")).json()) as { endpoints: Array<{ description: string; event_types: string[] }> };
    expect(saved.endpoints).toEqual([expect.objectContaining({ description: "Receiver, audits only", event_types: ["audit.completed"] })]);

    // The owner adds a quota threshold beside the built-in 80 % and 100 %; it is kept.
    await page.getByLabel("Extra thresholds (%)").fill("50, 90");
    await page.getByRole("button", { name: "Save thresholds" }).click();
    await expect(page.getByText("Extra thresholds: 50, 90 %")).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Extra thresholds (%)")).toHaveValue("50, 90");
    await page.getByLabel("Extra thresholds (%)").fill("fifty");
    await page.getByRole("button", { name: "Save thresholds" }).click();
    await expect(page.getByText("Enter whole percentages")).toBeVisible();

    // Rotating reveals the new secret with the same one-time dialog: Esc asks, and only an
    // explicit "Close without copying" drops it.
    await page.getByRole("button", { name: "Rotate secret" }).click();
    await page.getByRole("dialog", { name: "Rotate this endpoint's secret?" }).getByRole("button", { name: "Rotate secret" }).click();
    await expect(reveal).toBeVisible();
    const rotated = await reveal.getByRole("textbox", { name: "Signing secret" }).inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await page.keyboard.press("Escape");
    await expect(reveal).toBeVisible();
    await expect(reveal.getByRole("alert")).toContainText("Have you copied the signing secret?");
    await reveal.getByRole("button", { name: "Close without copying" }).click();
    await expect(reveal).toBeHidden();
    expect(await page.content()).not.toContain(rotated);

    // A member does not see the page in the nav, and the JSON routes refuse them.
    const member = await inviteAndJoin(page, browser, uniqueEmail("member"), "member");
    await expect(member.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Webhooks" })).toHaveCount(0);
    const refused = await member.request.get("/api/webhooks/endpoints");
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.code).toBe("forbidden");
    await member.context().close();
  } finally {
    await rx.close();
  }
});
