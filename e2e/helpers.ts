import { expect, type Browser, type Page } from "@playwright/test";

export const PASSWORD = "correct horse battery staple";

export function uniqueEmail(tag: string): string {
  return `${tag}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
}

export async function signUp(page: Page, email: string, next?: string): Promise<void> {
  await page.goto(next ? `/sign-up?next=${encodeURIComponent(next)}` : "/sign-up");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
}

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function expectOnDashboard(page: Page): Promise<void> {
  await expect(page.getByRole("navigation", { name: "Dashboard" })).toBeVisible();
}

/**
 * From the owner's page: invite `email` with `role` on the Team page, then accept as that person
 * (signing up) in a fresh browser context. Returns the invitee's page, on the Team page.
 */
/** From a signed-in owner's page: creates an invitation for `email` on the Team page and returns its link. */
export async function createInvitationLink(page: Page, email: string, role: "admin" | "member" = "member"): Promise<string> {
  await page.getByRole("link", { name: "Team" }).click();
  await page.getByLabel("Email to invite").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption(role);
  await page.getByRole("button", { name: "Create invitation" }).click();
  // The box may still show the previous invitation's link: wait for the one naming this email.
  await expect(page.getByRole("region", { name: "Invitation link" })).toContainText(email);
  const linkBox = page.getByRole("textbox", { name: "Invitation link" });
  await expect(linkBox).toHaveValue(/\/invite\/[A-Za-z0-9_-]{43}$/);
  return linkBox.inputValue();
}

export async function inviteAndJoin(page: Page, browser: Browser, email: string, role: "admin" | "member" = "member"): Promise<Page> {
  const link = await createInvitationLink(page, email, role);
  const other = await browser.newContext();
  const invitee = await other.newPage();
  await invitee.goto(link);
  await invitee.getByRole("link", { name: "Create an account to join" }).click();
  await expect(invitee.getByLabel("Email")).toHaveValue(email);
  await invitee.getByLabel("Password").fill(PASSWORD);
  await invitee.getByRole("button", { name: "Create account" }).click();
  // Signing up from the invitation joins the team at once (no Join step, no team of one's own).
  await invitee.waitForURL("**/team");
  return invitee;
}

/**
 * Options for `page.request.post/patch` to a dashboard JSON route: a JSON body (`{}` when the
 * route takes none) and the portal's Origin, as the page's own fetch would send. Without them the
 * CSRF check (lib/http/same-origin.ts) refuses the write.
 */
export function fromPortal(page: Page, data: unknown = {}): { data: unknown; headers: Record<string, string> } {
  return { data, headers: { origin: new URL(page.url()).origin } };
}
