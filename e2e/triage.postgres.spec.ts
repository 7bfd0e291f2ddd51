// Triage journeys on the demo company's inventory: a status change only on Apply (keyboard included) with its
// Undo, a bulk change over ticked rows and over every matching issue, owner and comments, and a risk acceptance
// that expires when the expiry job runs with its clock moved forward. Works in the lowest-risk domain, which the
// other specs sharing this database do not use.
import AxeBuilder from "@axe-core/playwright";
import { and, asc, eq, inArray } from "drizzle-orm";
import { assets, issues } from "../db/schema";
import { expireRiskAcceptances } from "../server/issues/bulk";
import { createBoss } from "../server/jobs/boss";
import { ensureDemoInventory, openE2eDatabase } from "./demo-inventory";
import { person, storageStateFor } from "./roles";
import { expect, type Page, test } from "./test";

type Fixture = { domain: { id: string; name: string }; issueIds: string[]; openCount: number };
let fixture: Fixture;

test.beforeAll(async () => {
  const handle = openE2eDatabase();
  try {
    const companyId = await ensureDemoInventory(handle);
    const [domain] = await handle.db
      .select({ id: assets.id, name: assets.name })
      .from(assets)
      .where(and(eq(assets.companyId, companyId), eq(assets.assetType, "domain")))
      .orderBy(asc(assets.riskScore), asc(assets.id))
      .limit(1);
    const rows = await handle.db
      .select({ id: issues.id })
      .from(issues)
      .where(and(eq(issues.companyId, companyId), eq(issues.domainAssetId, domain!.id), eq(issues.status, "identified")))
      .orderBy(asc(issues.id));
    const open = await handle.db
      .select({ id: issues.id })
      .from(issues)
      .where(and(eq(issues.companyId, companyId), eq(issues.domainAssetId, domain!.id), inArray(issues.status, ["identified", "in_progress"])));
    fixture = { domain: domain!, issueIds: rows.map((r) => r.id), openCount: open.length };
    expect(fixture.issueIds.length).toBeGreaterThanOrEqual(4);
  } finally {
    await handle.close();
  }
});

async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

test.use({ storageState: async ({}, use, info) => use(storageStateFor("analyst", info)) });

test("a status change happens only on Apply, asks for a reason, and can be undone before Salt is told", async ({ page }) => {
  await page.goto(`/issues/${fixture.issueIds[0]}`);
  await expect(page.getByText("No status changes yet.")).toBeVisible();

  // Keyboard: open the dialog, move through the statuses with the arrow keys — nothing is applied.
  await page.getByRole("button", { name: "Change status" }).focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Change status" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("radio", { name: "Identified" }).focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await expect(dialog.getByRole("radio", { name: "Fixed" })).toBeChecked();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await page.reload();
  await expect(page.getByText("No status changes yet.")).toBeVisible();

  // Fixed needs a reason; Apply without one says so and changes nothing.
  await page.getByRole("button", { name: "Change status" }).click();
  await dialog.getByRole("radio", { name: "Fixed" }).check();
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: "screenshots/triage/status-dialog.png" });
  await dialog.getByRole("button", { name: "Apply" }).click();
  await expect(dialog.getByText("Give a reason: it is kept in the issue's history.")).toBeVisible();
  await dialog.getByLabel("Reason").fill("Patched in **release 4.2**");
  await dialog.getByLabel("Reason").press("Tab");
  await page.keyboard.press("Tab");
  await expect(dialog.getByRole("button", { name: "Apply" })).toBeFocused();
  await page.keyboard.press("Enter");

  const toast = page.getByTestId("undo-toast");
  await expect(toast).toContainText("Status changed to Fixed");
  await expect(page.getByRole("listitem").filter({ hasText: "Patched in **release 4.2**" })).toBeVisible();
  await page.screenshot({ path: "screenshots/triage/undo-toast.png" });
  await toast.getByRole("button", { name: /Undo/ }).click();
  await expect(page.getByText("Undone: the status is Identified again and the source was not told.")).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "Undone before the source was told." })).toBeVisible();
});

test("bulk: ticked rows change status with a reason; every matching issue gets an owner; the owner filter's Me lists them", async ({ page }) => {
  const base = `/issues?fqdn=${fixture.domain.id}&status=identified,in_progress&sort=severity&dir=desc`;
  await page.goto(base);
  const table = page.getByRole("table", { name: "Issues" });
  await expect(table).toHaveAttribute("aria-busy", "false");
  const boxes = table.getByRole("checkbox", { name: /^Select (?!all)/ });
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  const bar = page.getByRole("region", { name: "Bulk actions" });
  await expect(bar.getByTestId("bulk-selected")).toHaveText("2 selected");
  await bar.getByRole("button", { name: "Change status…" }).click();
  const dialog = page.getByRole("dialog", { name: "Change status" });
  await expect(dialog).toContainText("Applies to 2 issues");
  await dialog.getByRole("radio", { name: "False Positive" }).check();
  await dialog.getByRole("button", { name: "Apply to 2" }).click();
  await expect(dialog.getByText("Give a reason")).toBeVisible();
  await dialog.getByLabel("Reason").fill("Scanner misread the auth header");
  await dialog.getByRole("button", { name: "Apply to 2" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Changed 2 issues" })).toBeVisible();

  // All matching: the page's box, then "Select all N matching issues", with the count shown before Apply.
  await page.goto(base);
  await expect(table).toHaveAttribute("aria-busy", "false");
  await table.getByRole("checkbox", { name: "Select all issues on this page" }).check();
  // Two of the open issues became False Positive above; "Select all" appears when more match than the page shows.
  const count = fixture.openCount - 2;
  if (count > 25) {
    await bar.getByRole("button", { name: `Select all ${count.toLocaleString("en-US")} matching issues` }).click();
    await expect(bar.getByTestId("bulk-selected")).toHaveText(`All ${count.toLocaleString("en-US")} matching issues selected`);
  } else {
    await expect(bar.getByTestId("bulk-selected")).toHaveText(`${count} selected`);
  }
  await bar.getByRole("button", { name: "Set owner…" }).click();
  const ownerDialog = page.getByRole("dialog", { name: "Set owner" });
  const analyst = person("analyst");
  await ownerDialog.getByLabel("Owner").selectOption({ label: `${analyst.name} (${analyst.email})` });
  await page.screenshot({ path: "screenshots/triage/bulk-owner.png" });
  await ownerDialog.getByRole("button", { name: `Apply to ${count.toLocaleString("en-US")}` }).click();
  await expect(page.getByRole("status").filter({ hasText: /Changed [\d,]+ issues?/ })).toBeVisible();

  await page.getByRole("group", { name: "Issue filters" }).getByRole("button", { name: /^Owner/ }).click();
  await page.getByRole("checkbox", { name: "Me", exact: true }).check();
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/owner=me/);
  await expect(table).toHaveAttribute("aria-busy", "false");
  await expect(table.getByRole("row")).toHaveCount(Math.min(count, 25) + 1);
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: "screenshots/triage/issues-assigned-to-me.png", fullPage: true });
});

test("owner and comments: an analyst assigns a member and comments in Markdown, shown safely", async ({ page }) => {
  await page.goto(`/issues/${fixture.issueIds[2]}`);
  const admin = person("admin");
  await page.getByLabel("Owner").selectOption({ label: `${admin.name} (${admin.email})` });
  await page.getByRole("button", { name: "Assign" }).click();
  await expect(page.getByTestId("issue-owner")).toHaveText(`Owner: ${admin.name} (${admin.email})`);

  await page.getByLabel("Add a comment").fill('Looked at it: **not exploitable** from outside.\n\n<img src=x onerror="alert(1)"> [docs](javascript:alert(1))');
  await page.getByRole("button", { name: "Comment" }).click();
  const comments = page.getByRole("list", { name: "Comments" });
  await expect(comments.locator("strong", { hasText: "not exploitable" })).toBeVisible();
  await expect(comments).toContainText(person("analyst").name);
  await expect(comments.locator("img")).toHaveCount(0);
  await expect(comments.locator('a[href^="javascript"]')).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel("Owner")).toHaveValue(/.+/);
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: "screenshots/triage/issue-owner-comments.png", fullPage: true });
});

test("a risk acceptance expires: the job, run with its clock moved past the end date, returns the issue to Identified", async ({ page }) => {
  await page.goto(`/issues/${fixture.issueIds[3]}`);
  await page.getByRole("button", { name: "Change status" }).click();
  const dialog = page.getByRole("dialog", { name: "Change status" });
  await dialog.getByRole("radio", { name: "Risk Accepted" }).check();
  await dialog.getByLabel("Reason").fill("Behind the VPN until the rewrite ships");
  const until = dialog.getByLabel("Accepted until");
  await expect(until).toHaveValue(/^\d{4}-\d{2}-\d{2}$/);
  await dialog.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("undo-toast")).toContainText("Status changed to Risk Accepted");
  await expect(page.getByText(/Accepted until .+; then it returns to Identified\./)).toBeVisible();

  // The expiry job, with its clock 31 days ahead (the default end date is 30 days out).
  const handle = openE2eDatabase();
  const boss = createBoss(handle);
  try {
    await boss.start();
    const result = await expireRiskAcceptances(handle.db, { now: new Date(Date.now() + 31 * 86_400_000), boss });
    expect(result.changed).toBeGreaterThanOrEqual(1);
  } finally {
    await boss.stop({ graceful: false, close: true });
    await handle.close();
  }

  await page.reload();
  await expect(page.getByRole("listitem").filter({ hasText: "Risk acceptance expired." }).filter({ hasText: "by System" })).toBeVisible();
  await expect(page.getByText(/Accepted until .+; then it returns/)).toHaveCount(0);
  await page.screenshot({ path: "screenshots/triage/risk-acceptance-expired.png", fullPage: true });
});
