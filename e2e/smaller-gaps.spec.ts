import { expect, test, type Page } from "./fixtures";
import { inviteAndJoin, signUp, uniqueEmail } from "./helpers";

/** Selects in the page's main area whose chosen text is wider than the room the control gives it. */
async function clippedSelects(page: Page): Promise<string[]> {
  return page.locator("main select").evaluateAll((selects) => {
    const ctx = document.createElement("canvas").getContext("2d")!;
    return (selects as HTMLSelectElement[]).flatMap((el) => {
      const cs = getComputedStyle(el);
      ctx.font = cs.font;
      const text = el.selectedOptions[0]?.text ?? "";
      // A native (appearance: auto) select draws its arrow inside the box, ~20 px; a styled one keeps it in its right padding.
      const arrow = cs.appearance === "none" ? 0 : 20;
      const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - arrow;
      const width = ctx.measureText(text).width;
      return width > room ? [`${el.name || el.getAttribute("aria-label") || "select"}: “${text}” needs ${Math.ceil(width)} px, has ${Math.floor(room)}`] : [];
    });
  });
}

test("the Team page's role dropdowns show their whole text at 1280 and 390 px", async ({ page, browser }) => {
  await signUp(page, uniqueEmail("roles"));
  await page.waitForURL("**/keys");
  const member = await inviteAndJoin(page, browser, uniqueEmail("roles-member"));
  await member.context().close();
  await page.reload();
  await expect(page.getByRole("combobox", { name: /^Role of / })).toBeVisible();
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const role of ["member", "admin"]) {
      await page.getByLabel("Role", { exact: true }).selectOption(role);
      expect(await clippedSelects(page), `at ${width} px with ${role} chosen`).toEqual([]);
    }
  }
});

test("the Webhooks page without endpoints: one empty state, no filters or replay form acting on nothing", async ({ page }) => {
  await signUp(page, uniqueEmail("hooks-empty"));
  await page.waitForURL("**/keys");
  await page.goto("/webhooks");
  await expect(page.getByRole("heading", { name: "No endpoints yet" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No deliveries yet" })).toBeVisible();
  await expect(page.getByText("Messages appear here once you add an endpoint")).toBeVisible();
  await expect(page.getByLabel("Replay failed messages since")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Replay failed" })).toHaveCount(0);
  await expect(page.getByLabel("Status", { exact: true })).toHaveCount(0);
});

test("the API page's Try it box says which keyed endpoints it does not send", async ({ page }) => {
  await signUp(page, uniqueEmail("tryit"));
  await page.waitForURL("**/keys");
  await page.goto("/api-docs/try-it");
  const box = page.locator("#try-it");
  const coverage = box.getByTestId("try-it-coverage");
  await expect(coverage).toContainText("PATCH /api/public/keys/{key_id}");
  await expect(coverage).toContainText("POST /api/public/keys/{key_id}/rotate");
  // Every keyed operation of the OpenAPI document is either in the box or named as not in it.
  const doc = (await (await page.request.get("/api/public/openapi.json")).json()) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
  const keyed = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).flatMap(([method, op]) => ((op.security ?? []).length > 0 ? [`${method.toUpperCase()} ${path}`] : [])),
  );
  const offered = (await box.getByLabel("Endpoint").locator("option").allTextContents()).map((o) => o.split(" — ")[0]!);
  const named = await coverage.locator("code").allTextContents();
  expect([...offered, ...named].sort()).toEqual([...keyed].sort());
  await expect(coverage).toContainText(`sends ${offered.length} of the ${keyed.length} keyed endpoints`);
});
