import { expect, test } from "./fixtures";
import { expectOnDashboard, signUp, uniqueEmail } from "./helpers";

test("the audit log lists who created and renamed a key", async ({ page }) => {
  const email = uniqueEmail("audit");
  await signUp(page, email);
  await page.waitForURL("**/keys");
  await expectOnDashboard(page);

  await page.getByRole("button", { name: "Create your first key" }).click();
  const create = page.getByRole("dialog", { name: "Create an API key" });
  await create.getByRole("textbox", { name: "Name", exact: true }).fill("Staging");
  await create.getByRole("button", { name: "Create key" }).click();
  const reveal = page.getByRole("dialog", { name: "Your new key “Staging”" });
  await reveal.getByRole("button", { name: "I have copied it" }).click();
  await expect(reveal).toBeHidden();

  await page.getByRole("button", { name: "Actions for Staging", exact: true }).click();
  await page.getByRole("button", { name: "Rename Staging", exact: true }).click();
  const rename = page.getByRole("dialog", { name: "Rename Staging" });
  await rename.getByLabel("New name").fill("Staging EU");
  await rename.getByRole("button", { name: "Save name" }).click();
  await expect(rename).toBeHidden();
  await expect(page.getByRole("button", { name: "Actions for Staging EU", exact: true })).toBeVisible();

  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  const log = page.getByRole("table", { name: "Audit log, newest first" });
  const rows = log.getByRole("row").filter({ hasText: email });
  await expect(rows).toHaveCount(2);
  // Newest first.
  await expect(rows.nth(0)).toContainText("Renamed from “Staging” to “Staging EU”");
  await expect(rows.nth(1)).toContainText("Created");
  for (const row of [rows.nth(0), rows.nth(1)]) {
    await expect(row).toContainText("Staging EU");
    await expect(row).toContainText(/\d{1,2} \w{3} \d{4}, \d{2}:\d{2}/);
  }
  await expect(page.getByText("That is the whole log.")).toBeVisible();
});
