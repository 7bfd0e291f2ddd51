// Filters that fit triage, on the demo company: the Issues list opens on open issues with an Open / Closed / All
// switch (also on a domain's Issues tab), multi-select filters worked from the keyboard with their chips, and saved
// views — saved, applied from the Views menu, opened by another member from the shared URL, renamed and deleted.
// With axe, and screenshots at 390 and 1440 px.
import { and, asc, eq } from "drizzle-orm";
import { assets } from "../db/schema";
import { expectNoSeriousA11yViolations } from "./a11y";
import { ensureDemoInventory, openE2eDatabase } from "./demo-inventory";
import { storageStateFor } from "./roles";
import { expect, type Page, test } from "./test";

const OPEN = ["Identified", "In Progress"];
const CLOSED = ["Fixed", "Risk Accepted", "False Positive"];
let domainId: string;

test.beforeAll(async () => {
  const handle = openE2eDatabase();
  try {
    const companyId = await ensureDemoInventory(handle);
    const [domain] = await handle.db
      .select({ id: assets.id })
      .from(assets)
      .where(and(eq(assets.companyId, companyId), eq(assets.assetType, "domain")))
      .orderBy(asc(assets.name))
      .limit(1);
    domainId = domain!.id;
  } finally {
    await handle.close();
  }
});

test.use({ storageState: async ({}, use, info) => use(storageStateFor("analyst", info)) });

const issuesTable = (page: Page) => page.getByRole("table", { name: "Issues" });
/** A facet's button in the filter bar ("Severity", or "Severity, 2 chosen"). */
const facet = (page: Page, name: string) => page.getByRole("group", { name: "Issue filters" }).getByRole("button", { name: new RegExp(`^${name}`) });

/** The Status column's texts of the rows shown, once the list has settled. */
async function statusesShown(page: Page) {
  await expect(issuesTable(page)).toHaveAttribute("aria-busy", "false");
  return issuesTable(page).locator("tbody tr").locator("td").filter({ hasText: new RegExp(`^(${[...OPEN, ...CLOSED].join("|")})$`) }).allTextContents();
}

test("open by default, with an Open / Closed / All switch worked from the keyboard", async ({ page }) => {
  await page.goto("/issues");
  const switcher = page.getByRole("group", { name: "Show" });
  await expect(switcher.getByRole("radio", { name: "Open" })).toBeChecked();
  const open = await statusesShown(page);
  expect(open.length).toBeGreaterThan(0);
  expect(open.every((s) => OPEN.includes(s))).toBe(true);

  await switcher.getByRole("radio", { name: "Open" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(page).toHaveURL(/state=closed/);
  await expect(switcher.getByRole("radio", { name: "Closed" })).toBeChecked();
  const closed = await statusesShown(page);
  expect(closed.length).toBeGreaterThan(0);
  expect(closed.every((s) => CLOSED.includes(s))).toBe(true);

  await page.keyboard.press("ArrowRight");
  await expect(page).toHaveURL(/state=all/);
  // A link from before the switch keeps its meaning: these statuses, whatever the default.
  await page.goto("/issues?status=fixed");
  await expect(switcher.getByRole("radio", { name: "Closed" })).toBeChecked();
  expect((await statusesShown(page)).every((s) => s === "Fixed")).toBe(true);
});

test("multi-select filters from the keyboard, shown as chips that remove themselves", async ({ page }) => {
  await page.goto("/issues");
  await facet(page, "Severity").focus();
  await page.keyboard.press("Enter");
  // The first choice has focus: Critical, then High.
  await expect(page.getByRole("checkbox", { name: "Critical" })).toBeFocused();
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Space");
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/severity=critical,high/);
  await expect(facet(page, "Severity")).toBeFocused();
  const chips = page.getByRole("list", { name: "Chosen filters" });
  await expect(chips.getByRole("listitem")).toHaveText(["Severity: Critical", "Severity: High"]);
  await expect(issuesTable(page)).toHaveAttribute("aria-busy", "false");
  const severities = await issuesTable(page).locator("tbody tr").locator("td").filter({ hasText: /^(Critical|High|Medium|Low|Notification)$/ }).allTextContents();
  expect(severities.length).toBeGreaterThan(0);
  expect(severities.every((s) => s === "Critical" || s === "High")).toBe(true);

  await facet(page, "Owner").click();
  await page.getByRole("checkbox", { name: "Unassigned" }).check();
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/owner=none/);
  await expectNoSeriousA11yViolations(page, "issues with filters");

  await chips.getByRole("button", { name: "Remove Severity: High filter" }).click();
  await expect(page).toHaveURL(/severity=critical(&|$)/);
  await expect(chips.getByRole("listitem")).toHaveText(["Severity: Critical", "Owner: Unassigned"]);
  await page.getByRole("button", { name: "Clear filters" }).first().click();
  await expect(page).toHaveURL(/\/issues$/);
});

test("saved views: save, apply from the menu, open the shared URL as another member, rename, delete", async ({ page, browser }) => {
  const name = `Critical open ${Date.now()}`;
  await page.goto("/issues?severity=critical&sort=activity");
  await page.getByRole("button", { name: "Views" }).click();
  await page.getByRole("menuitem", { name: "Save current filters…" }).click();
  const dialog = page.getByRole("dialog", { name: "Save current filters" });
  await dialog.getByLabel("Name").fill(name);
  await expectNoSeriousA11yViolations(page, "save view dialog");
  await dialog.getByRole("button", { name: "Save view" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("button", { name: `View: ${name}` })).toBeVisible();

  await page.goto("/issues");
  await page.getByRole("button", { name: "Views" }).click();
  await page.getByRole("menuitem", { name }).click();
  await expect(page).toHaveURL(/state=open&severity=critical/);
  await expect(page.getByRole("button", { name: `View: ${name}` })).toBeVisible();
  const shownHere = await issuesTable(page).getByRole("link").allTextContents();
  expect(shownHere.length).toBeGreaterThan(0);

  // The filters are the URL: a viewer opening it sees the same list (without the analyst's view in their menu).
  const viewerContext = await browser.newContext({ storageState: storageStateFor("viewer", test.info()) });
  try {
    const viewerPage = await viewerContext.newPage();
    await viewerPage.goto(page.url());
    await expect(issuesTable(viewerPage)).toHaveAttribute("aria-busy", "false");
    expect(await issuesTable(viewerPage).getByRole("link").allTextContents()).toEqual(shownHere);
    await expect(viewerPage.getByRole("button", { name: "Views" })).toBeVisible();
  } finally {
    await viewerContext.close();
  }

  await page.getByRole("button", { name: `View: ${name}` }).click();
  await page.getByRole("menuitem", { name: "Rename or delete views…" }).click();
  const manage = page.getByRole("dialog", { name: "Your saved views" });
  await manage.getByLabel(`Name of view ${name}`).fill(`${name} (renamed)`);
  await manage.getByRole("button", { name: "Rename" }).click();
  await expect(manage.getByLabel(`Name of view ${name} (renamed)`)).toBeVisible();
  await manage.getByRole("button", { name: `Delete view ${name} (renamed)` }).click();
  await expect(manage.getByLabel(`Name of view ${name} (renamed)`)).toBeHidden();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: "Views" })).toBeVisible();
});

test("a domain's Issues tab: open by default, the switch shows the rest", async ({ page }) => {
  await page.goto(`/assets/fqdns/${domainId}?tab=issues`);
  const switcher = page.getByRole("group", { name: "Show" });
  await expect(switcher.getByRole("radio", { name: "Open" })).toBeChecked();
  expect((await statusesShown(page)).every((s) => OPEN.includes(s))).toBe(true);
  await switcher.getByRole("radio", { name: "All" }).check();
  await expect(page).toHaveURL(/state=all/);
  await expect(facet(page, "FQDN")).toHaveCount(0);
  await expectNoSeriousA11yViolations(page, "domain issues tab");
});

test("the filter bar is tidy at 1440 and 390 px", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/issues?severity=critical,high&owner=none");
  await expect(issuesTable(page)).toHaveAttribute("aria-busy", "false");
  await page.screenshot({ path: test.info().outputPath("issues-1440.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  // On a phone the facets fold behind "Filters".
  await expect(facet(page, "Severity")).toBeHidden();
  await page.getByRole("button", { name: /^Filters/ }).click();
  await expect(facet(page, "Severity")).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await page.screenshot({ path: test.info().outputPath("issues-390.png"), fullPage: true });
  await expectNoSeriousA11yViolations(page, "issues at 390 px");
});
