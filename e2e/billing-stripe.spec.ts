import { expect, test } from "./fixtures";
import { inviteAndJoin, signUp, uniqueEmail, fromPortal } from "./helpers";

// Runs under playwright.stripe.config.ts: the portal is wired to the Stripe stand-in, whose
// Checkout and portal pages are what a person sees instead of Stripe's.
test("the owner upgrades through Checkout, sees the trial, opens the portal, and sees a failed payment", async ({ page }) => {
  // The production bundle refuses an unsigned event with 400 (not 500: Stripe would retry it).
  const unsigned = await page.request.post("/api/stripe/webhook", { data: { id: "evt_forged", type: "invoice.paid" } });
  expect(unsigned.status()).toBe(400);

  await signUp(page, uniqueEmail("stripe"));
  await page.waitForURL("**/keys");
  await page.getByRole("link", { name: "Billing" }).click();
  await expect(page.getByText("Development mode")).toHaveCount(0);
  await expect(page.getByTestId("billing-status")).toHaveText("No subscription");

  await page.getByRole("button", { name: "Upgrade to Pro" }).click();
  await expect(page.getByRole("heading", { name: "Checkout" })).toBeVisible();
  await expect(page.getByText("15-day free trial.")).toBeVisible();
  const standin = new URL(page.url()).origin;
  expect(standin).not.toBe(new URL(test.info().project.use.baseURL!).origin);
  await page.getByRole("button", { name: "Pay" }).click();

  await page.waitForURL("**/billing?checkout=success*");
  // The webhook lands a moment later; the page updates without a reload.
  await expect(page.getByText("Waiting for Stripe to confirm your subscription…")).toBeVisible();
  await expect(page.getByTestId("billing-status")).toHaveText("trialing", { timeout: 15_000 });
  await expect(page.getByText("Waiting for Stripe to confirm")).toHaveCount(0);
  await expect(page.getByTestId("billing-plan")).toHaveText("Pro");
  await expect(page.getByTestId("billing-trial")).toContainText("15 days left");
  await expect(page.getByText("Pro plan · you are owner")).toBeVisible();
  await expect(page.getByTestId("past-due-banner")).toHaveCount(0);

  await page.getByRole("button", { name: "Manage billing" }).click();
  await page.waitForURL(`${standin}/portal/**`);
  await expect(page.getByRole("heading", { name: "Billing portal" })).toBeVisible();
  await expect(page.getByText("trialing")).toBeVisible();
  await page.getByRole("link", { name: "Return to Llavero" }).click();
  await page.waitForURL("**/billing");

  const failed = await page.request.post(`${standin}/_standin/subscriptions/latest/payment_failed`);
  expect(failed.status()).toBe(200);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("past-due-banner")).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId("past-due-banner")).toContainText("The last payment failed.");
  await expect(page.getByTestId("billing-status")).toHaveText("past_due");
  // Inside the grace period the plan stays.
  await expect(page.getByTestId("billing-plan")).toHaveText("Pro");
});

test("admins read billing, members see plan and quota only, and neither may start Checkout or open the portal", async ({ page, browser }) => {
  await signUp(page, uniqueEmail("stripe-owner"));
  await page.waitForURL("**/keys");
  await page.getByRole("link", { name: "Billing" }).click();
  await page.getByRole("button", { name: "Upgrade to Pro" }).click();
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page.getByTestId("billing-status")).toHaveText("trialing", { timeout: 15_000 });

  const admin = await inviteAndJoin(page, browser, uniqueEmail("stripe-admin"), "admin");
  const member = await inviteAndJoin(page, browser, uniqueEmail("stripe-member"), "member");
  for (const [who, p] of [["admin", admin], ["member", member]] as const) {
    const checkout = await p.request.post("/api/billing/checkout", { form: { plan: "business" }, headers: fromPortal(p).headers, maxRedirects: 0 });
    expect(checkout.status(), `${who} checkout`).toBe(403);
    expect((await checkout.json()).error.code).toBe("forbidden");
    const portal = await p.request.post("/api/billing/portal", { ...fromPortal(p), maxRedirects: 0 });
    expect(portal.status(), `${who} portal`).toBe(403);
  }
  const owner = await page.request.post("/api/billing/portal", { ...fromPortal(page), maxRedirects: 0 });
  expect(owner.status()).toBe(303);

  await admin.getByRole("link", { name: "Billing" }).click();
  await expect(admin.getByTestId("billing-status")).toHaveText("trialing");
  await expect(admin.getByText("Only the team's owner manages billing.")).toBeVisible();
  await expect(admin.getByRole("button", { name: "Manage billing" })).toHaveCount(0);
  await expect(admin.getByRole("button", { name: /^Upgrade/ })).toHaveCount(0);
  await expect(admin.getByText("Only the team's owner changes the cap.")).toBeVisible();

  await member.getByRole("link", { name: "Billing" }).click();
  await expect(member.getByTestId("billing-plan")).toContainText("Pro");
  await expect(member.getByTestId("billing-quota")).toContainText("of 2,000 metered calls");
  await expect(member.getByTestId("billing-status")).toHaveCount(0);
  await expect(member.getByText("Overage calls so far")).toHaveCount(0);
  await expect(member.getByRole("button", { name: /^Upgrade|Manage billing/ })).toHaveCount(0);
});
