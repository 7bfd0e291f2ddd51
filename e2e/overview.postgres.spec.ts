// The Overview journey on the demo company: it is the first page after sign-in, its SLA counts open the Issues list
// showing exactly those issues, and an admin's SLA change in Settings moves the counts. Axe and screenshots at
// 390 and 1440 px.
import { and, eq, inArray } from "drizzle-orm";
import { getSlaPolicy } from "../db/queries/overview";
import { issues, openIssueStatuses } from "../db/schema";
import { slaStateOf } from "../lib/sla";
import { expectNoSeriousA11yViolations } from "./a11y";
import { ensureDemoInventory, openE2eDatabase } from "./demo-inventory";
import { person, signIn } from "./roles";
import { expect, type Page, test } from "./test";

/** The demo company's open Critical issues breaching their SLA now, as lib/sla.ts judges them. */
async function breachedCriticalIds(): Promise<Set<string>> {
  const handle = openE2eDatabase();
  try {
    const companyId = await ensureDemoInventory(handle);
    const policy = await getSlaPolicy(handle.db, { companyId });
    const rows = await handle.db
      .select()
      .from(issues)
      .where(and(eq(issues.companyId, companyId), eq(issues.severity, "critical"), inArray(issues.status, [...openIssueStatuses])));
    const now = new Date();
    return new Set(rows.filter((r) => slaStateOf(r, policy, now).state === "breached").map((r) => r.id));
  } finally {
    await handle.close();
  }
}

test.beforeAll(async () => {
  const handle = openE2eDatabase();
  try {
    await ensureDemoInventory(handle);
  } finally {
    await handle.close();
  }
});

async function setCriticalSla(page: Page, days: string) {
  await page.goto("/settings/sla");
  await page.getByLabel("Critical (days)").fill(days);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
}

test("the Overview opens after sign-in, its SLA counts list exactly those issues, and an admin's SLA change moves them", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, person("admin").email);
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await expect(page.getByText("Weeks run Monday to Sunday in UTC", { exact: false })).toBeVisible();
  await expect(page.getByTestId("trend-weeks").getByRole("row")).toHaveCount(12);
  await expectNoSeriousA11yViolations(page, "overview");
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `screenshots/overview/${width}-overview.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1440, height: 900 });

  // Critical breached: the count links to the Issues list filtered to it, showing exactly the issues lib/sla.ts
  // calls breached (other specs change statuses in parallel: the check is retried until both sides agree).
  await expect(async () => {
    await page.goto("/overview");
    const expected = await breachedCriticalIds();
    expect(expected.size).toBeGreaterThan(0);
    const link = page.getByRole("link", { name: `${expected.size} Critical issues breached their SLA` });
    await link.click({ timeout: 10_000 });
    await expect(page).toHaveURL(/sla=breached/);
    await expect(page).toHaveURL(/severity=critical/);
    const table = page.getByRole("table", { name: "Issues" });
    await expect(page.getByText(new RegExp(`of ${expected.size.toLocaleString("en-US")} issues`))).toBeVisible({ timeout: 10_000 });
    const hrefs = await table.getByRole("link").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
    const listed = new Set(hrefs.filter((h) => /^\/issues\/[0-9a-f-]{36}$/.test(h)).map((h) => h.slice("/issues/".length)));
    expect(listed.size).toBe(Math.min(25, expected.size));
    for (const id of listed) expect(expected.has(id)).toBe(true);
  }).toPass({ timeout: 60_000 });
  await page.screenshot({ path: "screenshots/overview/1440-issues-sla-breached.png" });

  // An admin gives Critical issues ten years: none is breached any more.
  try {
    await setCriticalSla(page, "3650");
    await expectNoSeriousA11yViolations(page, "settings/sla");
    await page.screenshot({ path: "screenshots/overview/1440-settings-sla.png", fullPage: true });
    await page.goto("/overview");
    await expect(page.getByRole("row", { name: /^Critical 3650 days/ })).toBeVisible();
    await expect(page.getByRole("link", { name: /Critical issues breached their SLA/ })).toHaveCount(0);
  } finally {
    await setCriticalSla(page, "7");
  }
});

test.describe("as a viewer", () => {
  test("the SLA settings are read only", async ({ page }) => {
    await signIn(page, person("viewer").email);
    await page.goto("/settings/sla");
    await expect(page.getByText("Only admins can change the SLA.")).toBeVisible();
    await expect(page.getByLabel("Critical (days)")).toBeDisabled();
    await expect(page.getByRole("button", { name: "Save" })).toHaveCount(0);
  });
});
