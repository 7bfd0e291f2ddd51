// The end of the Salt wizard as a new company's admin sees it: after "Add 2 domains" focus lands on the notice
// that says so; after "Finish setup" a checklist that follows real state — the domains' first syncs finishing,
// the webhook (copy the template, Send test event, "Test received"), a warning that Salt's cloud cannot reach a
// localhost APP_URL, and "View N open issues" leading to them; the Configuration table with each domain's
// current figures. A company of its own, so nothing else is touched.
import AxeBuilder from "@axe-core/playwright";
import { createCompany, createMemberWithPassword } from "../db/queries/companies";
import { openDatabase } from "../db/client";
import { DEMO_PASSWORD } from "../server/demo";
import { signIn } from "./roles";
import { expect, test } from "./test";

const STAMP = Date.now().toString(36);
const admin = { email: `admin-${STAMP}@initech.postura.dev`, name: "Ina Admin" };

test.beforeAll(async () => {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error("E2E_DATABASE_URL is not set (playwright.config.ts sets it)");
  const handle = openDatabase({ url }, { poolSize: 1 });
  try {
    const company = await createCompany(handle.db, { name: `Initech ${STAMP}` });
    await createMemberWithPassword(handle.db, { companyId: company.id, ...admin, role: "admin", password: DEMO_PASSWORD });
  } finally {
    await handle.close();
  }
});

test("after connecting, a checklist of real state: domains synced, a test webhook received, the open issues", async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page, admin.email);
  await page.goto("/integrations/salt-security/connect");
  await page.getByLabel("Salt Security API Key").fill("salt-us-full");
  await page.getByRole("button", { name: "Continue", exact: true }).click();
  await expect(page).toHaveURL(/step=mapping$/);
  await page.getByRole("button", { name: "Continue", exact: true }).click();
  await expect(page).toHaveURL(/step=severities$/);
  await page.getByRole("button", { name: "Continue", exact: true }).click();
  await expect(page).toHaveURL(/step=domains$/);

  // Two domains through the picker; focus then rests on the notice, not on the page body.
  await page.getByRole("button", { name: "Add project" }).click();
  const picker = page.getByRole("dialog", { name: "Add project" });
  const boxes = picker.locator("tbody").getByRole("checkbox");
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await picker.getByRole("button", { name: "Add 2 domains" }).click();
  await expect(picker).toBeHidden();
  const notice = page.getByRole("status").filter({ hasText: "2 domains added" });
  await expect(notice).toBeVisible();
  await expect(page.locator(":focus")).toContainText("2 domains added");

  await page.getByRole("button", { name: "Finish setup" }).click();
  await expect(page).toHaveURL(/\/integrations\/salt-security\/settings\?connected=true/);
  const checklist = page.getByRole("region", { name: /Salt Security is connected/ });
  await expect(checklist).toBeVisible();
  // The old message claimed the sync was running, whatever the truth; the checklist follows the runs.
  await expect(page.getByText("The first sync of your domains is running")).toHaveCount(0);
  await expect(checklist.getByText("2 domains added and synced.")).toBeVisible({ timeout: 60_000 });
  // The Configuration table says what each domain holds now, not what its last run changed.
  const configuration = page.getByRole("table", { name: "Associated domains" });
  for (const row of await configuration.locator("tbody tr").all()) await expect(row).toContainText(/[1-9]\d* APIs · \d+ open · synced/);
  await expect(configuration).not.toContainText(/assets · \d+ new issues/);

  // APP_URL is http://localhost:…: Salt's cloud could never call it, and the checklist says so.
  await expect(checklist.getByText("Salt's cloud cannot reach this webhook URL")).toBeVisible();
  await expect(checklist.getByText("Waiting for the first webhook…")).toBeVisible();
  await expect(checklist.getByRole("button", { name: "Copy template" })).toBeVisible();
  await checklist.getByRole("button", { name: "Send test event" }).click();
  await expect(checklist.getByRole("status").filter({ hasText: "Test received" })).toBeVisible();

  const axe = await new AxeBuilder({ page }).include("[data-testid=setup-checklist]").analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: "screenshots/setup-checklist/after-connect.png", fullPage: true });

  const view = checklist.getByRole("link", { name: /View \d+ open issues?/ });
  const count = Number((await view.innerText()).match(/\d+/)![0]);
  expect(count).toBeGreaterThan(0);
  await view.click();
  await expect(page).toHaveURL(/\/issues\?status=identified,in_progress&source=salt_security/);
  await expect(page.getByRole("table", { name: "Issues" }).getByRole("row")).not.toHaveCount(1);
  await expect(page.getByText(new RegExp(`of ${count} issues`))).toBeVisible();
});
