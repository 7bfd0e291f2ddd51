// No dead ends: an unknown issue, domain or API id answers at once with the app's own "does not exist" page and
// the way back (no skeleton while a 404 is retried); an unknown address gets the app's not-found page, not Next.js's
// bare one; and each tab's title names the thing on it. Runs as Globex's admin (synced data).
import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { openDatabase } from "../db/client";
import { assets, companies, issues } from "../db/schema";
import { SYNCED_COMPANY_NAME, SYNCED_USERS } from "../server/demo";
import { signIn } from "./roles";
import { expect, test } from "./test";

const globexAdmin = SYNCED_USERS.find((u) => u.role === "admin")!;
let fixture: { domain: { id: string; name: string }; api: { id: string; method: string | null; path: string | null; name: string }; issue: { id: string; title: string } };

test.beforeAll(async () => {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error("E2E_DATABASE_URL is not set (playwright.config.ts sets it)");
  const handle = openDatabase({ url }, { poolSize: 1 });
  try {
    const { db } = handle;
    const [company] = await db.select().from(companies).where(eq(companies.name, SYNCED_COMPANY_NAME));
    if (!company) throw new Error(`the e2e server did not seed "${SYNCED_COMPANY_NAME}"`);
    const [domain] = await db
      .select({ id: assets.id, name: assets.name })
      .from(assets)
      .where(and(eq(assets.companyId, company.id), eq(assets.assetType, "domain")))
      .orderBy(asc(assets.name))
      .limit(1);
    const [api] = await db
      .select({ id: assets.id, name: assets.name, method: assets.method, path: assets.path })
      .from(assets)
      .where(and(eq(assets.companyId, company.id), eq(assets.assetType, "api"), eq(assets.parentId, domain!.id)))
      .orderBy(asc(assets.name))
      .limit(1);
    const [issue] = await db.select({ id: issues.id, title: issues.title }).from(issues).where(eq(issues.companyId, company.id)).limit(1);
    if (!domain || !api || !issue) throw new Error("Globex has no synced domain, API or issue");
    fixture = { domain, api, issue };
  } finally {
    await handle.close();
  }
});

test.describe("unknown ids and addresses", () => {
  // The browser reports the 404 answer on its console: that is the point of these pages.
  test.use({ expectedErrors: [/status of 404/] });

  for (const [kind, path, heading, back, listHeading] of [
    ["issue", "/issues", "This issue does not exist", "Back to Issues", "Issues"],
    ["domain", "/assets/fqdns", "This domain does not exist", "Back to FQDNs", "FQDNs"],
    ["API", "/assets/apis", "This API does not exist", "Back to APIs", "APIs"],
  ] as const) {
    test(`an unknown ${kind} id says so at once, with the way back`, async ({ page }) => {
      await signIn(page, globexAdmin.email);
      await page.goto(`${path}/${randomUUID()}`);
      // At once: the server's answer already holds it, no skeleton waiting on retries.
      await expect(page.getByRole("heading", { name: heading })).toBeVisible({ timeout: 3_000 });
      await expect(page.getByRole("navigation", { name: "Main", exact: true })).toBeVisible();
      await page.getByRole("link", { name: back }).click();
      await expect(page.getByRole("heading", { level: 1, name: listHeading })).toBeVisible();
    });
  }

  test("an unknown address gets the app's own not-found page inside the app", async ({ page }) => {
    await signIn(page, globexAdmin.email);
    const response = await page.goto("/no-such-page/at-all");
    expect(response?.status()).toBe(404);
    await expect(page).toHaveTitle("Page not found · Postura");
    await expect(page.getByRole("heading", { name: "Page not found" }).first()).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main", exact: true })).toBeVisible();
    await page.screenshot({ path: "screenshots/dead-ends/not-found.png", fullPage: true });
    await page.getByRole("link", { name: "Go to FQDNs" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "FQDNs" })).toBeVisible();
  });
});

test("each tab's title names the thing on it", async ({ page }) => {
  await signIn(page, globexAdmin.email);
  await page.goto(`/issues/${fixture.issue.id}`);
  await expect(page).toHaveTitle(`${fixture.issue.title} · Issue · Postura`);
  await page.goto(`/assets/fqdns/${fixture.domain.id}`);
  await expect(page).toHaveTitle(`${fixture.domain.name} · FQDN · Postura`);
  await page.goto(`/assets/apis/${fixture.api.id}`);
  const apiName = [fixture.api.method, fixture.api.path ?? fixture.api.name].filter(Boolean).join(" ");
  await expect(page).toHaveTitle(`${apiName} · ${fixture.domain.name} · Postura`);
});
