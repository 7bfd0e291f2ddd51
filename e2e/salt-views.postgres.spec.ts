// What an admin and an analyst see around a Salt sync, with hostile data injected through the simulator's
// control API: the run summary at once after "Sync integration" and in words that agree with the counts;
// right-to-left overrides kept inside the text they came in; long unbroken strings that neither widen the issue
// page nor push the domain picker's columns off screen; a CWE id that is not one shown as text, not linked;
// the FQDN list's labels with "+N"; the sidebar the page's full height; and pages that hydrate without errors.
import { and, asc, eq } from "drizzle-orm";
import { openDatabase } from "../db/client";
import { assets, companies } from "../db/schema";
import { SYNCED_COMPANY_NAME, SYNCED_USERS } from "../server/demo";
import { signIn, storageStateFor } from "./roles";
import { simulatorUrl } from "./simulator";
import { expect, type Page, test } from "./test";

const RLO = "\u202e";
const STAMP = Date.now().toString(36);
const HOSTILE_PATH = `/v1/${RLO}tnuocca/${"A".repeat(900)}`;
const HOSTILE_GAP = `Hostile${STAMP}${"X".repeat(900)}`;
const HOSTILE_CATEGORY = `Category${"Y".repeat(400)}`;
const HOSTILE_CWE = "javascript:alert(1)//CWE-79";
const LONG_HOST = `very-long-${"h".repeat(180)}-${STAMP}.example.com`;
const globexAdmin = SYNCED_USERS.find((u) => u.role === "admin")!;

test.describe.configure({ mode: "serial" });

let host: string;

test.beforeAll(async () => {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error("E2E_DATABASE_URL is not set (playwright.config.ts sets it)");
  const handle = openDatabase({ url }, { poolSize: 1 });
  try {
    const [company] = await handle.db.select().from(companies).where(eq(companies.name, SYNCED_COMPANY_NAME));
    if (!company) throw new Error(`the e2e server did not seed "${SYNCED_COMPANY_NAME}"`);
    const [domain] = await handle.db
      .select({ name: assets.name })
      .from(assets)
      .where(and(eq(assets.companyId, company.id), eq(assets.assetType, "domain")))
      .orderBy(asc(assets.name))
      .limit(1);
    if (!domain) throw new Error("Globex has no domain");
    host = domain.name;
  } finally {
    await handle.close();
  }
});

async function simulatorControl(page: Page, path: string, body: unknown, method = "POST") {
  const response = await fetch(`${simulatorUrl(test.info())}/__control${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`simulator ${path}: ${response.status} ${await response.text()}`);
}

/** Texts holding a right-to-left override whose nearest element does not isolate it from the text around it. */
async function unisolatedOverrides(page: Page): Promise<string[]> {
  return page.evaluate((rlo) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const found: string[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent?.includes(rlo)) continue;
      const parent = node.parentElement!;
      if (["SCRIPT", "STYLE", "TEMPLATE", "TITLE"].includes(parent.tagName)) continue;
      if (!["isolate", "isolate-override", "plaintext"].includes(getComputedStyle(parent).unicodeBidi)) {
        found.push(`<${parent.tagName.toLowerCase()}> ${node.textContent.slice(0, 40)}`);
      }
    }
    return found;
  }, RLO);
}

async function pageWidth(page: Page) {
  return page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, window: window.innerWidth }));
}

test.describe("as Globex's admin", () => {
  test("Sync integration shows the new run at once, and the summary's words agree with its counts", async ({ page }) => {
    test.setTimeout(240_000);
    // More labels than the FQDN list has room for.
    await simulatorControl(page, `/hosts/${encodeURIComponent(host)}`, { labels: ["payments-platform", "customer-data", "pci-scope"] }, "PATCH");
    // One new posture gap, all of it hostile: the next sync creates exactly one issue.
    await simulatorControl(page, "/endpoints", { host, method: "GET", endpointPath: HOSTILE_PATH, labels: [] });
    await simulatorControl(page, "/gaps", {
      host,
      method: "GET",
      endpointPath: HOSTILE_PATH,
      postureGapName: HOSTILE_GAP,
      severity: "Low",
      status: "Open",
      categories: [HOSTILE_CATEGORY],
      cweId: HOSTILE_CWE,
    });

    await signIn(page, globexAdmin.email);
    await page.goto("/integrations/salt-security/settings");
    const summary = page.getByRole("status").filter({ hasText: /Last sync|Syncing|Queuing/ });
    await expect(summary).toContainText("Last sync", { timeout: 45_000 });

    // Hold the request, so what the summary says before the server answers can be seen.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/api/trpc/*sync.syncIntegration*", async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole("button", { name: "Sync integration" }).click();
    await expect(summary).toContainText("Queuing a sync of 2 domains");
    await expect(summary).not.toContainText("Last sync");
    release();

    await expect(summary).toContainText("Last sync", { timeout: 45_000 });
    await expect(summary).toContainText(/(?<!\d)1 issue created/);
    await expect(summary).not.toContainText(/(?<!\d)1 (issues|assets|domains)\b/);
  });

  test("a long host name stays inside the domain picker, its columns on screen", async ({ page }) => {
    await simulatorControl(page, "/hosts", { host: LONG_HOST, labels: [`label-${"z".repeat(200)}`] });
    await signIn(page, globexAdmin.email);
    await page.goto("/integrations/salt-security/settings?tab=domains");
    await page.getByRole("button", { name: "Add project" }).click();
    const picker = page.getByRole("dialog", { name: "Add project" });
    await picker.getByRole("searchbox", { name: "Search domains" }).fill(LONG_HOST.slice(0, 40));
    await expect(picker.getByTestId("picker-host")).toHaveCount(1);
    await expect(picker.getByTestId("picker-host")).toHaveText(LONG_HOST);
    const dialog = (await picker.boundingBox())!;
    const lastColumn = (await picker.getByRole("columnheader", { name: "Open posture gaps" }).boundingBox())!;
    expect(lastColumn.x + lastColumn.width).toBeLessThanOrEqual(dialog.x + dialog.width);
    expect(dialog.x + dialog.width).toBeLessThanOrEqual(page.viewportSize()!.width);
    await page.screenshot({ path: "screenshots/salt-views/domain-picker-long-host.png" });
  });
});

test.describe("as Globex's admin, on the Credentials tab", () => {
  test("a key with invalid characters, or no key, is refused in the browser and never sent", async ({ page }) => {
    await signIn(page, globexAdmin.email);
    let sent = 0;
    await page.route("**/api/trpc/*saveCredentials*", async (route) => {
      sent++;
      await route.continue();
    });
    await page.goto("/integrations/salt-security/settings?tab=credentials");
    await expect(page.getByText("Saving checks the stored key with Salt again.")).toBeVisible();
    await page.getByRole("button", { name: "Replace key" }).click();
    const key = page.getByLabel("Salt Security API Key");
    const save = page.getByRole("button", { name: "Save credentials" });
    const refusal = page.getByRole("alert").filter({ hasText: "The key was not sent to Salt" });
    // (A line break cannot be typed or pasted into the field: the browser drops it. The server refuses it too.)
    for (const pasted of ["salt-us-\u200bfull", "salt-us-\tfull", "salt-us-fułl"]) {
      await key.fill(pasted);
      await save.click();
      await expect(refusal).toContainText("The key contains invalid characters");
    }
    await key.fill("");
    await save.click();
    await expect(refusal).toContainText("Paste the new API key, or keep the stored key.");
    expect(sent, "requests that carried a key").toBe(0);

    // Keeping the stored key and saving checks it again, and says so.
    await page.getByRole("button", { name: "Keep the stored key" }).click();
    await save.click();
    await expect(page.getByText("The stored key was checked with Salt again and saved.")).toBeVisible();
  });
});

test.describe("as Globex's admin, on what the hostile gap became", () => {
  test("the issue page isolates right-to-left text, wraps long strings and links only a well-formed CWE id", async ({ page }) => {
    await signIn(page, globexAdmin.email);
    await page.goto(`/issues?q=Hostile${STAMP}`);
    const link = page.getByRole("table").getByRole("link").first();
    await expect(link).toBeVisible({ timeout: 30_000 });
    expect(await unisolatedOverrides(page), "issue list").toEqual([]);
    await link.click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(`Hostile${STAMP}`);

    const width = await pageWidth(page);
    expect(width.scroll, "the issue page is no wider than the window").toBeLessThanOrEqual(width.window);
    expect(await unisolatedOverrides(page), "issue page").toEqual([]);
    await expect(page.getByText(HOSTILE_CWE, { exact: true })).toBeVisible();
    await expect(page.locator('a[href*="cwe.mitre.org"]')).toHaveCount(0);
    await page.screenshot({ path: "screenshots/salt-views/issue-hostile.png", fullPage: true });

    await page.goto(`/assets/apis?q=tnuocca`);
    await expect(page.getByRole("table").getByRole("link").first()).toBeVisible();
    expect(await unisolatedOverrides(page), "APIs list").toEqual([]);
    const apisWidth = await pageWidth(page);
    expect(apisWidth.scroll, "the APIs list is no wider than the window").toBeLessThanOrEqual(apisWidth.window);
  });
});

test.describe("as Globex's admin, on the asset views", () => {
  test("the FQDN list shows the first label whole or cut with an ellipsis, then +N with the rest on hover", async ({ page }) => {
    await signIn(page, globexAdmin.email);
    await page.goto("/assets/fqdns");
    const table = page.getByRole("table");
    await expect(table.getByRole("link").first()).toBeVisible();
    const column = await table.getByRole("columnheader").allInnerTexts();
    const index = column.findIndex((name) => /^Labels$/i.test(name));
    expect(index).toBeGreaterThanOrEqual(0);
    const cells = table.locator(`tbody tr td:nth-child(${index + 1})`);
    const report = await cells.evaluateAll((tds) =>
      tds.map((td) => {
        const cell = td.getBoundingClientRect();
        const cut = [...td.querySelectorAll("*")]
          .filter((el) => el.getBoundingClientRect().right > cell.right + 0.5)
          .map((el) => el.textContent ?? "");
        const more = [...td.querySelectorAll("*")].find((el) => /^\+\d+/.test(el.textContent ?? ""));
        return { cut, more: more ? { text: more.textContent, title: more.getAttribute("title") } : null };
      }),
    );
    expect(report.flatMap((r) => r.cut), "labels running past the cell's edge").toEqual([]);
    const withMore = report.filter((r) => r.more);
    expect(withMore.length, "rows with more labels than fit").toBeGreaterThan(0);
    for (const r of withMore) expect(r.more!.title, `the rest of the labels on hover (${r.more!.text})`).toMatch(/\S/);
    await page.screenshot({ path: "screenshots/salt-views/fqdns.png", fullPage: true });
  });

  test("the sidebar runs the full height of a long page", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 600 });
    await signIn(page, globexAdmin.email);
    await page.goto("/assets/fqdns?sort=risk&dir=desc");
    await page.getByRole("table").getByRole("link").first().click();
    await page.getByRole("tab", { name: /APIs/ }).click();
    await expect(page.getByRole("table").getByRole("link").first()).toBeVisible();
    const sizes = await page.evaluate(() => ({
      page: document.documentElement.scrollHeight,
      window: window.innerHeight,
      sidebar: document.querySelector("aside")!.getBoundingClientRect().height,
    }));
    expect(sizes.page, "the page is longer than the window").toBeGreaterThan(sizes.window);
    expect(sizes.sidebar).toBeGreaterThanOrEqual(sizes.page - 1);
    await page.screenshot({ path: "screenshots/salt-views/fqdn-page-sidebar.png", fullPage: true });
  });

});

test.describe("as Acme's analyst", () => {
  test.use({ storageState: async ({}, use, info) => use(storageStateFor("analyst", info)) });

  test("lists and pages with times hydrate without errors", async ({ page }) => {
    // e2e/test.ts fails the test on React's hydration error (#418) or any other console error.
    for (const path of ["/integrations", "/issues", "/assets/fqdns", "/assets/apis"]) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
    }
  });
});

test.describe("as Globex's admin, every Settings tab", () => {
  test("hydrates without errors", async ({ page }) => {
    await signIn(page, globexAdmin.email);
    for (const tab of ["domains", "credentials", "mapping", "severities", "labels", "webhook"]) {
      await page.goto(`/integrations/salt-security/settings?tab=${tab}`);
      await page.waitForLoadState("networkidle");
    }
    await page.goto("/integrations");
    await page.waitForLoadState("networkidle");
    await page.goto("/issues");
    await page.waitForLoadState("networkidle");
  });
});
