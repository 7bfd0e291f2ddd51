// Asset and issue views with a realistic inventory: FQDNs → a domain → its APIs → an API → back; the APIs list
// filtered by FQDN (through the UI and by URL); business impact edited by an analyst; a viewer without edit
// controls; an analyst changing an issue's status; and an axe scan of every page. Seeds the PostgreSQL e2e
// database directly (idempotent: skipped when the demo company already has assets).
import { expectNoSeriousA11yViolations } from "./a11y";
import { expect, test } from "./test";
import { and, asc, desc, eq } from "drizzle-orm";
import { assets, issues } from "../db/schema";
import { ensureDemoInventory, openE2eDatabase } from "./demo-inventory";
import { person, storageStateFor } from "./roles";

type Fixture = { riskiest: { id: string; name: string }; other: { id: string; name: string }; api: { id: string; name: string }; issueId: string };
let fixture: Fixture;

test.beforeAll(async () => {
  const handle = openE2eDatabase();
  try {
    const { db } = handle;
    const company = { id: await ensureDemoInventory(handle) };

    const domains = await db
      .select({ id: assets.id, name: assets.name })
      .from(assets)
      .where(and(eq(assets.companyId, company.id), eq(assets.assetType, "domain")))
      .orderBy(desc(assets.riskScore), asc(assets.id));
    const [api] = await db
      .select({ id: assets.id, name: assets.name })
      .from(assets)
      .where(and(eq(assets.companyId, company.id), eq(assets.parentId, domains[1]!.id)))
      .orderBy(desc(assets.riskScore), asc(assets.id))
      .limit(1);
    const [issue] = await db
      .select({ id: issues.id })
      .from(issues)
      .where(and(eq(issues.companyId, company.id), eq(issues.status, "identified"), eq(issues.domainAssetId, domains[2]!.id)))
      .limit(1);
    fixture = { riskiest: domains[0]!, other: domains[1]!, api: api!, issueId: issue!.id };
  } finally {
    await handle.close();
  }
});

test.describe("as an analyst", () => {
  test.use({ storageState: async ({}, use, info) => use(storageStateFor("analyst", info)) });

  test("FQDNs → a domain → its APIs tab → an API → back via the breadcrumb", async ({ page }) => {
    await page.goto("/assets/fqdns");
    await expect(page.getByRole("heading", { name: "Open issues by severity" })).toBeVisible();
    const domains = page.getByRole("table", { name: "Domains" });
    await domains.getByRole("link", { name: fixture.riskiest.name, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: fixture.riskiest.name })).toBeVisible();
    await expect(page.getByRole("tab", { name: "APIs" })).toHaveAttribute("aria-selected", "true");
    const apis = page.getByRole("table", { name: "API endpoints" });
    const firstApi = apis.getByRole("row").nth(1).getByRole("link").first();
    const path = (await firstApi.textContent())!;
    await firstApi.click();
    await expect(page.getByRole("heading", { level: 1, name: path })).toBeVisible();
    const breadcrumb = page.getByRole("navigation", { name: "Breadcrumb" });
    await breadcrumb.getByRole("link", { name: fixture.riskiest.name }).click();
    await expect(page.getByRole("heading", { level: 1, name: fixture.riskiest.name })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/assets/fqdns/${fixture.riskiest.id}$`));
  });

  test("the FQDN page's Issues and Activity tabs keep their place in the URL", async ({ page }) => {
    await page.goto(`/assets/fqdns/${fixture.riskiest.id}`);
    await page.getByRole("tab", { name: "Issues" }).click();
    await expect(page).toHaveURL(/tab=issues/);
    await expect(page.getByRole("table", { name: "Issues" }).getByRole("row")).not.toHaveCount(1);
    await page.getByRole("tab", { name: "Activity" }).click();
    await expect(page.getByRole("heading", { name: "Status changes" })).toBeVisible();
    await page.goBack();
    await expect(page.getByRole("tab", { name: "Issues" })).toHaveAttribute("aria-selected", "true");
  });

  test("filters the APIs list by FQDN through the UI and by URL", async ({ page }) => {
    await page.goto("/assets/apis");
    await page.getByRole("button", { name: /^FQDN/ }).click();
    await page.getByRole("searchbox", { name: "Find a domain" }).fill(fixture.other.name);
    await page.getByRole("checkbox", { name: fixture.other.name, exact: true }).check();
    await page.keyboard.press("Escape");
    await expect(page).toHaveURL(new RegExp(`fqdn=${fixture.other.id}`));
    await expect(page.getByRole("button", { name: `Remove ${fixture.other.name} filter` })).toBeVisible();
    // Until the filtered page arrives the table keeps showing the previous rows, marked aria-busy.
    await expect(page.getByRole("table", { name: "API endpoints" })).toHaveAttribute("aria-busy", "false");
    const fqdnCells = page.getByRole("table", { name: "API endpoints" }).getByRole("row").locator("td:nth-child(2)");
    await expect(fqdnCells.first()).toHaveText(fixture.other.name);
    for (const text of await fqdnCells.allTextContents()) expect(text).toBe(fixture.other.name);

    await page.goto(`/assets/apis?fqdn=${fixture.riskiest.id}&sort=name&dir=asc`);
    await expect(page.getByRole("button", { name: `Remove ${fixture.riskiest.name} filter` })).toBeVisible();
    await expect(page.getByRole("table", { name: "API endpoints" })).toHaveAttribute("aria-busy", "false");
    const cells = page.getByRole("table", { name: "API endpoints" }).getByRole("row").locator("td:nth-child(2)");
    await expect(cells.first()).toHaveText(fixture.riskiest.name);
    for (const text of await cells.allTextContents()) expect(text).toBe(fixture.riskiest.name);
    await page.getByRole("button", { name: `Remove ${fixture.riskiest.name} filter` }).click();
    await expect(page).not.toHaveURL(/fqdn=/);
  });

  test("edits a domain's business impact and sees its risk score change", async ({ page }) => {
    await page.goto(`/assets/fqdns/${fixture.riskiest.id}`);
    const score = page.getByTestId("risk-score");
    const before = (await score.textContent())!;
    const impact = page.getByRole("combobox", { name: "Business impact" });
    const next = (await impact.inputValue()) === "high" ? "low" : "high";
    await impact.selectOption(next);
    await expect(score).not.toHaveText(before);
    await page.reload();
    await expect(page.getByRole("combobox", { name: "Business impact" })).toHaveValue(next);
    await expect(page.getByTestId("risk-score")).not.toHaveText(before);
  });

  test("changes an issue's status and sees it in the history", async ({ page }) => {
    await page.goto(`/issues/${fixture.issueId}`);
    await page.getByRole("button", { name: "Change status" }).click();
    await page.getByRole("dialog").getByRole("radio", { name: "In Progress" }).check();
    await page.getByRole("dialog").getByRole("button", { name: "Apply" }).click();
    await expect(page.getByTestId("undo-toast")).toContainText("Status changed to In Progress");
    await expect(page.getByRole("listitem").filter({ hasText: `by ${person("analyst").name}` }).first()).toBeVisible();
  });

  test("every view passes an axe scan (no serious or critical violations)", async ({ page }) => {
    // Eight pages, each loaded and scanned in full: more than the default minute on a busy 2-core machine.
    test.setTimeout(300_000);
    const paths = [
      "/assets/fqdns",
      `/assets/fqdns/${fixture.riskiest.id}`,
      `/assets/fqdns/${fixture.riskiest.id}?tab=issues`,
      `/assets/fqdns/${fixture.riskiest.id}?tab=activity`,
      "/assets/apis",
      `/assets/apis/${fixture.api.id}`,
      "/issues",
      `/issues/${fixture.issueId}`,
    ];
    for (const path of paths) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
      await expectNoSeriousA11yViolations(page);
      await page.screenshot({ path: `screenshots/views/${path.replace(/[^a-z0-9]+/gi, "_").replace(/^_/, "")}.png`, fullPage: true });
    }
  });
});

test.describe("as a viewer", () => {
  test.use({ storageState: async ({}, use, info) => use(storageStateFor("viewer", info)) });

  test("sees business impact and status but no controls to change them", async ({ page }) => {
    await page.goto(`/assets/fqdns/${fixture.other.id}`);
    await expect(page.getByRole("heading", { level: 1, name: fixture.other.name })).toBeVisible();
    await expect(page.getByText("Business impact", { exact: true })).toBeVisible();
    await expect(page.getByRole("combobox", { name: "Business impact" })).toHaveCount(0);
    await page.goto(`/issues/${fixture.issueId}`);
    await expect(page.getByText("Only analysts and admins can change the status.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Change status" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Assign" })).toHaveCount(0);
    await expect(page.getByLabel("Add a comment")).toHaveCount(0);
  });
});
