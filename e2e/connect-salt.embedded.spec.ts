// Connecting Salt Security as a new admin would, against the demo's Salt simulator: the catalog, every wizard step
// (refused keys first), the mapping board by mouse and by keyboard, severities, the domain picker, then settings.
import { expectNoSeriousA11yViolations } from "./a11y";
import { expect, type Locator, type Page, test } from "./test";
import { storageStateFor } from "./roles";

const SHOTS = "screenshots/wizard";

function row(page: Page, name: string): Locator {
  return page.getByRole("group", { name, exact: true });
}

async function chipsIn(page: Page, name: string): Promise<string[]> {
  return row(page, name).getByRole("button").allInnerTexts().then((texts) => texts.map((t) => t.replace(/write-back/, "").trim()));
}

test.describe("as a viewer", () => {
  test.use({ storageState: async ({}, use, info) => use(storageStateFor("viewer", info)) });

  test("sees the Salt Security card read-only", async ({ page }) => {
    await page.goto("/integrations?q=Salt");
    const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Salt Security" }) });
    await expect(card).toBeVisible();
    await expect(card.getByRole("link", { name: "Connect" })).toHaveCount(0);
    await expect(page.getByText("Only admins can connect or change integrations.")).toBeVisible();
  });
});

test.describe("as an admin", () => {
  test.use({ storageState: async ({}, use, info) => use(storageStateFor("admin", info)) });

  test("connects Salt Security through the wizard, then manages it", async ({ page }) => {
    test.setTimeout(480_000);

    // Catalog and search.
    await page.goto("/integrations");
    // Typing before hydration is lost to React's first render; type until the URL holds the search.
    await expect(async () => {
      await page.getByRole("searchbox", { name: "Search integrations" }).fill("Salt");
      await expect(page).toHaveURL(/q=Salt/, { timeout: 1_000 });
    }).toPass();
    const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Salt Security" }) });
    await page.screenshot({ path: `${SHOTS}/01-catalog.png`, fullPage: true });
    await card.getByRole("link", { name: "Connect" }).click();

    // Credentials.
    await expect(page).toHaveURL(/\/integrations\/salt-security\/connect\?step=credentials$/);
    await expect(page.getByRole("navigation", { name: "Setup steps" })).toContainText("Credentials");
    await expect(page.getByText("The Salt simulator accepts this key")).toBeVisible();
    await expectNoSeriousA11yViolations(page, "credentials");
    const region = page.getByLabel("Region");
    const key = page.getByLabel("Salt Security API Key");
    const continueButton = page.getByRole("button", { name: "Continue", exact: true });

    await key.fill("not-a-salt-key");
    await continueButton.click();
    await expect(page.getByRole("alert").filter({ hasText: "Salt did not accept this key" })).toContainText("Salt refused this API key");
    await page.screenshot({ path: `${SHOTS}/02-credentials-wrong-key.png`, fullPage: true });

    await region.selectOption("eu");
    await key.fill("salt-us-full");
    await continueButton.click();
    await expect(page.getByRole("alert").filter({ hasText: "Salt did not accept this key" })).toContainText("Your key belongs to the US region");
    await expectNoSeriousA11yViolations(page, "credentials with an error");

    await region.selectOption("us");
    await key.fill("salt-us-readonly");
    await continueButton.click();
    await expect(page.getByRole("status").filter({ hasText: "Write-back will be off" })).toContainText("perm-executor");
    await page.screenshot({ path: `${SHOTS}/03-credentials-write-back-off.png`, fullPage: true });
    await expect(page.getByRole("button", { name: "Continue without write-back" })).toBeVisible();

    await page.getByRole("button", { name: "Replace key" }).click();
    await page.getByLabel("Salt Security API Key").fill("   salt-us-full   ");
    await continueButton.click();

    // Status mapping: one mouse drag, one keyboard move.
    await expect(page).toHaveURL(/step=mapping$/);
    await expect(row(page, "Identified")).toBeVisible();
    await expectNoSeriousA11yViolations(page, "mapping");
    await page.screenshot({ path: `${SHOTS}/04-mapping-default.png`, fullPage: true });

    const inprocess = row(page, "In Progress").getByRole("button", { name: "Inprocess" });
    const from = await inprocess.boundingBox();
    const to = await row(page, "Identified").boundingBox();
    if (!from || !to) throw new Error("board not laid out");
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2 - 5, { steps: 4 });
    await page.mouse.move(to.x + to.width - 40, to.y + to.height / 2, { steps: 12 });
    await page.mouse.up();
    await expect.poll(() => chipsIn(page, "Identified")).toEqual(["Open", "Inprocess"]);
    await expect(row(page, "In Progress")).toContainText("No Salt status");
    await expect(page.getByText("In Progress and False Positive have no Salt status")).toBeVisible();

    await row(page, "Risk Accepted").getByRole("button", { name: "Ignored" }).focus();
    await page.keyboard.press("Space");
    await expect(page.locator("[id^=DndLiveRegion]")).toContainText("Picked up Salt status Ignored");
    await page.keyboard.press("ArrowDown");
    await expect.poll(() => chipsIn(page, "False Positive")).toEqual(["Ignored"]);
    await page.keyboard.press("Space");
    await expect(page.locator("[id^=DndLiveRegion]")).toContainText("Dropped Salt status Ignored in False Positive");
    await page.screenshot({ path: `${SHOTS}/05-mapping-changed.png`, fullPage: true });
    await continueButton.click();

    // The saved mapping survives a reload.
    await expect(page).toHaveURL(/step=severities$/);
    await page.goto("/integrations/salt-security/connect?step=mapping");
    await expect.poll(() => chipsIn(page, "Identified")).toEqual(["Open", "Inprocess"]);
    expect(await chipsIn(page, "In Progress")).toEqual([]);
    expect(await chipsIn(page, "False Positive")).toEqual(["Ignored"]);
    expect(await chipsIn(page, "Risk Accepted")).toEqual([]);
    await continueButton.click();

    // Severity filters.
    await expect(page).toHaveURL(/step=severities$/);
    await expectNoSeriousA11yViolations(page, "severities");
    for (const name of ["Notification", "Low", "Medium", "High", "Critical"]) {
      await page.getByRole("switch", { name: new RegExp(`^${name}`) }).click();
    }
    await expect(page.getByText("No findings will be imported")).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/06-severities-none.png`, fullPage: true });
    for (const name of ["Low", "Medium", "High", "Critical"]) {
      await page.getByRole("switch", { name: new RegExp(`^${name}`) }).click();
    }
    await expect(page.getByRole("switch", { name: /^Notification/ })).toHaveAttribute("aria-checked", "false");
    await expect(page.getByText("No findings will be imported")).toHaveCount(0);
    await continueButton.click();

    // Configuration: pick two domains through search.
    await expect(page).toHaveURL(/step=domains$/);
    await expectNoSeriousA11yViolations(page, "configuration");
    // The seed's label stays; what it adds (domains) is said beside it.
    await expect(page.getByRole("button", { name: "Add project" })).toHaveAccessibleDescription("Add project imports domains Salt has discovered.");
    await page.getByRole("button", { name: "Add project" }).click();
    const picker = page.getByRole("dialog", { name: "Add project" });
    await expect(picker.getByRole("row")).not.toHaveCount(0);
    await expect(picker.getByText(/\d+ hosts · page 1 of \d+/)).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/07-domain-picker.png`, fullPage: true });
    await expectNoSeriousA11yViolations(page, "domain picker");
    const hostCells = picker.getByTestId("picker-host");
    const [firstHost, secondHost] = [await hostCells.nth(0).innerText(), await hostCells.nth(1).innerText()];
    for (const host of [firstHost, secondHost]) {
      await picker.getByRole("searchbox", { name: "Search domains" }).fill(host);
      await expect(picker.locator("tbody tr")).toHaveCount(1);
      await picker.getByRole("checkbox", { name: new RegExp(host.replace(/\./g, "\\.")) }).check();
    }
    await expect(picker.getByText("2 selected")).toBeVisible();
    await picker.getByRole("button", { name: "Add 2 domains" }).click();
    await expect(picker).toBeHidden();
    const table = page.getByRole("table", { name: "Associated domains" });
    for (const host of [firstHost, secondHost]) {
      await expect(table.getByRole("row").filter({ hasText: host })).toContainText(/[A-Z][a-z]{2} \d{1,2}, \d{4}/);
    }
    await expect(table.getByText(/Queued|Syncing|Synced/).first()).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/08-configuration.png`, fullPage: true });
    await page.getByRole("button", { name: "Finish setup" }).click();

    // Settings.
    await expect(page).toHaveURL(/\/integrations\/salt-security\/settings/);
    await expect(page.getByText("Salt Security is connected")).toBeVisible();
    await expect(page.getByRole("table", { name: "Associated domains" }).getByRole("row").filter({ hasText: firstHost })).toContainText(
      "Synced",
      { timeout: 45_000 },
    );
    await expectNoSeriousA11yViolations(page, "settings");
    await page.screenshot({ path: `${SHOTS}/09-settings.png`, fullPage: true });

    await page.getByRole("button", { name: "Check connection" }).click();
    await expect(page.getByText("Connection OK")).toBeVisible();
    await page.getByRole("button", { name: "Sync integration" }).click();
    await expect(page.getByText(/Syncing \d of 2 domains|Last sync/)).toBeVisible();

    await page.getByRole("tab", { name: "Webhook" }).click();
    await expect(page).toHaveURL(/tab=webhook/);
    await expect(page.getByText("/api/v3/integrations/scanners/salt_security/webhook")).toBeVisible();
    await page.getByRole("button", { name: "Reveal" }).click();
    const token = page.getByLabel("Webhook token", { exact: true });
    await expect(token).toHaveText(/^whk_/);
    const before = await token.innerText();
    await expect(page.getByLabel("Webhook JSON template")).toContainText(`"webhook_token": "${before}"`);
    await expectNoSeriousA11yViolations(page, "webhook");
    await page.getByRole("button", { name: "Rotate token" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Rotate token" }).click();
    await expect(page.getByText("Token rotated")).toBeVisible();
    await expect(token).not.toHaveText(before);
    await page.screenshot({ path: `${SHOTS}/10-webhook.png`, fullPage: true });

    // In the danger zone, below everything else, and only once its name is typed.
    await page.getByRole("region", { name: "Danger zone" }).getByRole("button", { name: "Remove integration" }).click();
    const confirm = page.getByRole("dialog", { name: "Remove Salt Security?" });
    await expect(confirm).toContainText("Imported assets and issues stay");
    const remove = confirm.getByRole("button", { name: "Remove integration" });
    await expect(remove).toBeDisabled();
    await confirm.getByLabel("Type Salt Security to confirm").fill("Salt");
    await expect(remove).toBeDisabled();
    await confirm.getByLabel("Type Salt Security to confirm").fill("Salt Security");
    await expectNoSeriousA11yViolations(page, "remove confirmation");
    await remove.click();
    await expect(page).toHaveURL(/\/integrations$/);
    await expect(card.getByRole("link", { name: "Connect" })).toBeVisible();

    // What it imported stays, marked as no longer kept current.
    await page.goto(`/assets/fqdns?q=${encodeURIComponent(firstHost)}`);
    const removedRow = page.getByRole("table").getByRole("row").filter({ hasText: firstHost });
    await expect(removedRow).toContainText("Not syncing — integration removed");
    await page.screenshot({ path: `${SHOTS}/11-removed-fqdns.png`, fullPage: true });
    await removedRow.getByRole("link", { name: firstHost }).click();
    await expect(page.getByText("Not syncing — integration removed")).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/12-removed-domain.png`, fullPage: true });
    const domainId = new URL(page.url()).pathname.split("/").pop()!;
    await page.goto(`/issues?fqdn=${domainId}`);
    await page.getByRole("table").getByRole("link").first().click();
    await expect(page).toHaveURL(/\/issues\/[0-9a-f-]{36}$/);
    const issueUrl = page.url();
    await expect(page.getByText("Not syncing — the Salt Security integration was removed")).toBeVisible();

    // Connecting again offers the earlier domains; re-attaching brings back the same issue, syncing again.
    await page.goto("/integrations/salt-security/connect");
    await page.getByLabel("Salt Security API Key").fill("salt-us-full");
    await continueButton.click();
    await expect(page).toHaveURL(/step=mapping$/);
    await continueButton.click();
    await expect(page).toHaveURL(/step=severities$/);
    await continueButton.click();
    await expect(page).toHaveURL(/step=domains$/);
    const offer = page.getByText("2 domains from the earlier Salt connection");
    await expect(offer).toBeVisible();
    await expectNoSeriousA11yViolations(page, "re-attach offer");
    await page.screenshot({ path: `${SHOTS}/13-reattach-offer.png`, fullPage: true });
    await page.getByRole("button", { name: "Re-attach…" }).click();
    const reattach = page.getByRole("dialog", { name: "Re-attach earlier domains" });
    for (const host of [firstHost, secondHost]) await expect(reattach.getByRole("checkbox", { name: new RegExp(host.replace(/\./g, "\\.")) })).toBeChecked();
    await reattach.getByRole("checkbox", { name: new RegExp(secondHost.replace(/\./g, "\\.")) }).uncheck();
    await expectNoSeriousA11yViolations(page, "re-attach dialog");
    await page.screenshot({ path: `${SHOTS}/14-reattach-dialog.png`, fullPage: true });
    await reattach.getByRole("button", { name: "Re-attach 1 domain" }).click();
    await expect(reattach).toBeHidden();
    await expect(page.locator(":focus")).toContainText("1 domain re-attached with their issues and history");
    await expect(page.getByText("1 domain from the earlier Salt connection")).toBeVisible();
    await expect(table.getByRole("row").filter({ hasText: firstHost })).toContainText("Synced", { timeout: 45_000 });
    await page.screenshot({ path: `${SHOTS}/15-reattached.png`, fullPage: true });
    await page.getByRole("button", { name: "Finish setup" }).click();
    await expect(page).toHaveURL(/\/integrations\/salt-security\/settings/);

    await page.goto(issueUrl);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByText(/Not syncing/)).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/16-reattached-issue.png`, fullPage: true });
  });
});
