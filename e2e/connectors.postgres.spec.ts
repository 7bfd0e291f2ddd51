// The Tenable.io connector in the browser, against the Tenable simulator over real HTTP: an admin's bad keys are
// refused and not saved, good keys are saved, an import runs with progress, hosts and Tenable issues show up, a
// second scan's fixes and new findings are counted; an analyst without Vulnerability Vendor Import cannot import.
// A company of its own, so the counts of other specs' companies do not move.
import AxeBuilder from "@axe-core/playwright";
import { randomBytes } from "node:crypto";
import { openDatabase, type DatabaseHandle } from "../db/client";
import { createCompany, createMemberWithPassword } from "../db/queries/companies";
import { startTenableSimulator, type TenableSimulator } from "../tools/tenable-simulator";
import { password, signIn } from "./roles";
import { expect, test } from "./test";

let sim: TenableSimulator;
let handle: DatabaseHandle;
const suffix = randomBytes(3).toString("hex");
const admin = { email: `admin.${suffix}@initech.test`, name: "Irene Admin" };
const analyst = { email: `analyst.${suffix}@initech.test`, name: "Ian Analyst" };

test.beforeAll(async () => {
  // Slow enough exports (several status polls) that the progress is on screen while the import runs.
  sim = await startTenableSimulator({ port: 0, seed: 5, assets: 8, findingsPerAsset: 3, exportTiming: { queuedPolls: 2, processingPolls: 2 } });
  handle = openDatabase({ url: process.env.E2E_DATABASE_URL! }, { poolSize: 1 });
  const company = await createCompany(handle.db, { name: `Initech ${suffix}` });
  await createMemberWithPassword(handle.db, { companyId: company.id, ...admin, password, role: "admin" });
  await createMemberWithPassword(handle.db, { companyId: company.id, ...analyst, password, role: "analyst" });
});
test.afterAll(async () => {
  await handle?.close();
  await sim?.close();
});

test("an admin connects Tenable.io, imports scan results and sees hosts and issues; a second scan is counted", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, admin.email);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Connectors" }).click();
  await expect(page.getByRole("heading", { name: "Connectors" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Connectors" }).getByText("Tenable.io")).toHaveAttribute("aria-current", "page");
  const importButton = page.getByRole("button", { name: "Import scan results" });
  await expect(importButton).toBeDisabled();
  await expect(page.getByText("Save the connector before importing.")).toBeVisible();
  await expect(page.getByLabel("Base URL")).toHaveValue("https://cloud.tenable.com");

  // Plain http to another machine is refused before anything is sent.
  await page.getByLabel("Access Key").fill("wrong-access");
  await page.getByLabel("Secret Key").fill("wrong-secret");
  await page.getByLabel("Base URL").fill("http://tenable.example.com");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(/must use https/)).toBeVisible();

  // Bad keys: Tenable says 401, nothing is saved.
  await page.getByLabel("Base URL").fill(sim.baseUrl);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Not saved." })).toContainText("Tenable refused these API keys");
  await expect(importButton).toBeDisabled();

  await page.getByLabel("Access Key").fill(sim.keys.admin.accessKey);
  await page.getByLabel("Secret Key").fill(sim.keys.admin.secretKey);
  await page.getByLabel("Days since").fill("");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Tenable.io accepted the keys.")).toBeVisible();
  await expect(page.getByText("Access key and secret key stored (encrypted)")).toBeVisible();
  await expect(page.getByLabel("Secret Key")).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath("connectors-saved.png"), fullPage: true });

  await importButton.click();
  await expect(page.getByTestId("import-progress")).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("connectors-progress.png"), fullPage: true });
  const history = page.getByRole("table");
  const newest = history.getByRole("row").nth(1);
  await expect(newest.getByRole("cell").nth(1)).toHaveText("Succeeded", { timeout: 45_000 });
  await expect(newest.getByRole("cell").nth(2)).toHaveText("Import");
  const created = Number(await newest.getByRole("cell").nth(3).innerText());
  expect(created).toBeGreaterThan(0);
  await page.screenshot({ path: test.info().outputPath("connectors-imported.png"), fullPage: true });
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations).toEqual([]);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Hosts" }).click();
  await expect(page.getByRole("heading", { name: "Hosts" })).toBeVisible();
  const hostRows = page.getByRole("table", { name: "Hosts" }).getByRole("row");
  await expect(hostRows).toHaveCount(sim.data.assetCount() + 1);
  await page.screenshot({ path: test.info().outputPath("hosts.png"), fullPage: true });

  await page.goto("/issues");
  await page.getByRole("group", { name: "Issue filters" }).getByRole("button", { name: /^Source/ }).click();
  await page.getByRole("checkbox", { name: "Tenable.io" }).check();
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/source=tenable_io/);
  const issueRows = page.getByRole("table").getByRole("row");
  await expect(issueRows.nth(1)).toBeVisible();
  await issueRows.nth(1).getByRole("link").first().click();
  await expect(page.getByText("Tenable.io details")).toBeVisible();
  await expect(page.getByText("CVSS 3")).toBeVisible();
  await expect(page.getByText("Plugin output")).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("tenable-issue.png"), fullPage: true });

  // A second scan fixes two findings and adds one: the next import says so.
  const scan = sim.runScan({ fix: 2, reopen: 0, add: 1 });
  expect(scan.fixed).toHaveLength(2);
  await page.goto("/settings/connectors");
  await page.getByRole("button", { name: "Import scan results" }).click();
  await expect(history.getByRole("row")).toHaveCount(3);
  const second = history.getByRole("row").nth(1);
  await expect(second.getByRole("cell").nth(1)).toHaveText("Succeeded", { timeout: 45_000 });
  await expect(second.getByRole("cell").nth(3)).toHaveText("1");
  await expect(second.getByRole("cell").nth(5)).toHaveText("2");
  await expect(second.getByRole("cell").nth(6)).toHaveText("0");

  // Postura's FQDN and host assets go to Tenable's asset import; the job is in the history.
  await page.getByRole("button", { name: "Export assets to Tenable.io" }).click();
  await expect(page.getByText(/^Sent \d+ assets in 1 asset-import job\.$/)).toBeVisible();
  await expect(history.getByRole("row").nth(1).getByRole("cell").nth(2)).toHaveText("Asset export");
  expect(sim.assetImports()).toHaveLength(1);
  await page.screenshot({ path: test.info().outputPath("connectors-exported.png"), fullPage: true });
});

test("an analyst without Vulnerability Vendor Import sees the connector but cannot import", async ({ page }) => {
  await signIn(page, analyst.email);
  await page.goto("/settings/connectors");
  await expect(page.getByText("Only admins can manage integrations.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Save" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Import scan results" })).toBeDisabled();
  await expect(page.getByText("Running an import needs the Vulnerability Vendor Import permission; ask an admin to grant it.")).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("connectors-analyst.png"), fullPage: true });

  // The server refuses too, whatever the page shows.
  const refused = await page.request.post("/api/trpc/connectors.importTenable", { data: { json: null } });
  expect(refused.status()).toBe(403);
});
