// Every page at a phone's, a tablet's, a small laptop's and a desktop's width: nothing scrolls sideways, the
// page's main action can be clicked (nothing else takes the tap), axe finds nothing serious — and a screenshot of
// each under screenshots/responsive/. Below `lg` the sidebar is a top bar whose menu opens a drawer that traps
// focus, closes on Escape and hands focus back. Runs as Globex's admin (Salt connected, synced data).
import AxeBuilder from "@axe-core/playwright";
import { and, asc, eq } from "drizzle-orm";
import { openDatabase } from "../db/client";
import { assets, companies, issues } from "../db/schema";
import { SYNCED_COMPANY_NAME, SYNCED_USERS } from "../server/demo";
import { signIn } from "./roles";
import { expect, type Locator, type Page, test } from "./test";

const widths = [390, 768, 1024, 1440] as const;
const globexAdmin = SYNCED_USERS.find((u) => u.role === "admin")!;

let ids: { domain: string; api: string; issue: string };

test.beforeAll(async () => {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error("E2E_DATABASE_URL is not set (playwright.config.ts sets it)");
  const handle = openDatabase({ url }, { poolSize: 1 });
  try {
    const { db } = handle;
    const [company] = await db.select().from(companies).where(eq(companies.name, SYNCED_COMPANY_NAME));
    if (!company) throw new Error(`the e2e server did not seed "${SYNCED_COMPANY_NAME}"`);
    const [domain] = await db
      .select({ id: assets.id })
      .from(assets)
      .where(and(eq(assets.companyId, company.id), eq(assets.assetType, "domain")))
      .orderBy(asc(assets.name))
      .limit(1);
    const [api] = await db
      .select({ id: assets.id })
      .from(assets)
      .where(and(eq(assets.companyId, company.id), eq(assets.assetType, "api")))
      .orderBy(asc(assets.name))
      .limit(1);
    const [issue] = await db.select({ id: issues.id }).from(issues).where(eq(issues.companyId, company.id)).orderBy(asc(issues.title)).limit(1);
    if (!domain || !api || !issue) throw new Error("Globex has no synced domain, API or issue");
    ids = { domain: domain.id, api: api.id, issue: issue.id };
  } finally {
    await handle.close();
  }
});

/** Each page with the action a person comes to it for. */
const pages: { name: string; path: () => string; action: (page: Page) => Locator }[] = [
  { name: "integrations", path: () => "/integrations", action: (p) => p.getByRole("link", { name: "Settings" }).first() },
  { name: "salt-configuration", path: () => "/integrations/salt-security/settings", action: (p) => p.getByRole("button", { name: "Add project" }) },
  { name: "salt-webhook", path: () => "/integrations/salt-security/settings?tab=webhook", action: (p) => p.getByRole("button", { name: "Copy template" }) },
  { name: "fqdns", path: () => "/assets/fqdns", action: (p) => p.getByRole("table", { name: "Domains" }).getByRole("link").first() },
  { name: "fqdn", path: () => `/assets/fqdns/${ids.domain}`, action: (p) => p.getByRole("tab", { name: "Issues" }) },
  { name: "fqdn-activity", path: () => `/assets/fqdns/${ids.domain}?tab=activity`, action: (p) => p.getByRole("tab", { name: "APIs" }) },
  { name: "apis", path: () => "/assets/apis", action: (p) => p.getByRole("table", { name: "API endpoints" }).getByRole("link").first() },
  { name: "api", path: () => `/assets/apis/${ids.api}`, action: (p) => p.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link").first() },
  { name: "issues", path: () => "/issues", action: (p) => p.getByRole("table", { name: "Issues" }).getByRole("link").first() },
  { name: "issue", path: () => `/issues/${ids.issue}`, action: (p) => p.getByRole("button", { name: "Change status" }) },
  { name: "members", path: () => "/settings/members", action: (p) => p.getByRole("button", { name: "Invite member" }) },
  { name: "audit-log", path: () => "/settings/audit-log", action: (p) => p.getByRole("combobox", { name: "Action" }) },
];

async function expectNoSeriousA11yViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    `axe on ${label}`,
  ).toEqual([]);
}

for (const width of widths) {
  test(`every page at ${width} px: no sideways scroll, the main action clickable, axe clean`, async ({ page }) => {
    // Twelve pages, each with axe and a full-page screenshot: on a slow 2-core machine running both e2e workers
    // this took 2.8–3.2 minutes (42–48 s on a faster one), so the limit is for a hang, not for speed.
    test.setTimeout(420_000);
    // Signed in at the default width (the sign-in helper looks for the sidebar's name), then narrowed.
    await signIn(page, globexAdmin.email);
    await page.setViewportSize({ width, height: 900 });
    for (const { name, path, action } of pages) {
      await page.goto(path());
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
      const main = action(page);
      await expect(main, `${name}: its main action`).toBeVisible();
      // A trial click runs every check a click does (visible, enabled, stable, nothing else on top) without acting.
      await main.click({ trial: true, timeout: 5_000 });
      const overflow = await page.evaluate(() => {
        const by = document.scrollingElement!.scrollWidth - window.innerWidth;
        // What sticks out, to name in the failure: the outermost elements past the window's right edge.
        // Inside a scroller or a clipping box, except when absolutely positioned (it may escape a scroller that is
        // not its containing block: a table header's sr-only label once did).
        const clipped = (el: Node) => {
          if (el instanceof Element && getComputedStyle(el).position === "absolute") return false;
          for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== "visible") return true;
          return false;
        };
        const past = [...document.body.querySelectorAll("*")].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !clipped(el));
        const outermost = past.filter((el) => !past.includes(el.parentElement!));
        // Text can run past a box that itself fits (a long word, nowrap): name its element too.
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          range.selectNodeContents(node);
          if (range.getBoundingClientRect().right > window.innerWidth + 1 && !clipped(node)) outermost.push(node.parentElement!);
        }
        // Or a box whose content is wider than itself while nothing clips it: the deepest such boxes.
        const wide = [...document.body.querySelectorAll("*")].filter(
          (el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === "visible" && !clipped(el),
        );
        outermost.push(...wide.filter((el) => !wide.some((other) => other !== el && el.contains(other))));
        return { by, culprits: outermost.slice(0, 5).map((el) => `<${el.tagName.toLowerCase()} class="${el.getAttribute("class")?.slice(0, 80) ?? ""}">${el.textContent?.slice(0, 30)}`) };
      });
      expect(overflow.by, `${name} at ${width} px scrolls sideways, past the edge: ${overflow.culprits.join(" ")}`).toBeLessThanOrEqual(0);
      await expectNoSeriousA11yViolations(page, `${name} at ${width} px`);
      await page.screenshot({ path: `screenshots/responsive/${width}-${name}.png`, fullPage: true });
    }
  });
}

test.describe("below lg, the sidebar is a top bar with a drawer", () => {
  test("the menu opens a drawer that traps focus, closes on Escape, hands focus back and navigates", async ({ page }) => {
    await signIn(page, globexAdmin.email);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/assets/fqdns");
    await expect(page.getByRole("navigation", { name: "Main", exact: true })).toBeHidden();
    const menu = page.getByRole("button", { name: "Open menu" });
    await menu.click();
    const drawer = page.getByRole("dialog", { name: "Menu" });
    const nav = drawer.getByRole("navigation", { name: "Main", exact: true });
    await expect(nav.getByRole("link", { name: "FQDNs" })).toHaveAttribute("aria-current", "page");
    await expectNoSeriousA11yViolations(page, "the open drawer");
    await page.screenshot({ path: "screenshots/responsive/390-drawer.png" });
    // Focus stays inside the drawer however far one tabs.
    for (let i = 0; i < 15; i++) {
      await page.keyboard.press("Tab");
      expect(await drawer.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();
    await expect(menu).toBeFocused();

    await menu.click();
    await page.getByRole("dialog", { name: "Menu" }).getByRole("link", { name: "Issues" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Issues" })).toBeVisible();
    await expect(page.getByRole("dialog", { name: "Menu" })).toBeHidden();
  });

  test("list rows become cards: the title whole on the first line, no table header row in sight", async ({ page }) => {
    await signIn(page, globexAdmin.email);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/issues");
    const table = page.getByRole("table", { name: "Issues" });
    const firstLink = table.getByRole("link").first();
    await expect(firstLink).toBeVisible();
    const cell = (await firstLink.locator("xpath=ancestor::td").boundingBox())!;
    const row = (await firstLink.locator("xpath=ancestor::tr").boundingBox())!;
    // The title's cell takes the card's whole width instead of a squeezed column.
    expect(row.width).toBeGreaterThan(300);
    expect(cell.width).toBeGreaterThan(row.width - 40);
    // The column headers are for screen readers only.
    const header = (await table.locator("thead").boundingBox()) ?? { height: 0 };
    expect(header.height).toBeLessThanOrEqual(1);
  });
});
