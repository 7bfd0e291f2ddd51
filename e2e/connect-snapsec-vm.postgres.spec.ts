// Connecting Snapsec VM as Globex's admin (whose Salt issues are synced): every wizard step with its refusals, then
// settings — Test connection, Forward existing issues — and an issue page saying where its record is in VM.
import { expectNoSeriousA11yViolations } from "./a11y";
import { SYNCED_USERS } from "../server/demo";
import { signIn } from "./roles";
import { vmSimulatorUrl } from "./simulator";
import { expect, test } from "./test";

const SHOTS = "screenshots/snapsec-vm";

test("an admin connects Snapsec VM through the wizard and forwards the existing issues", async ({ page }, info) => {
  test.setTimeout(300_000);
  const admin = SYNCED_USERS.find((u) => u.role === "admin")!;
  await signIn(page, admin.email);
  // Globex's first sync runs in the server's worker when it starts; wait for its issues.
  await expect(async () => {
    await page.goto("/issues");
    await expect(page.getByRole("table").getByRole("link").first()).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 45_000 });

  await page.goto("/integrations?q=Snapsec");
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Snapsec VM" }) });
  await card.getByRole("link", { name: "Connect" }).click();

  // Credentials: a spaced key and a wrong key are refused with what to do; the base URL is the demo simulator's.
  await expect(page).toHaveURL(/\/integrations\/snapsec-vm\/connect\?step=credentials$/);
  await expect(page.getByLabel("VM base URL")).toHaveValue(vmSimulatorUrl(info));
  const key = page.getByLabel("VM API Key");
  const check = page.getByRole("button", { name: "Check and continue" });
  await key.fill(" vm-demo-admin-key");
  await check.click();
  await expect(page.getByRole("alert").filter({ hasText: "The key has extra spaces — copy it again" })).toBeVisible();
  await key.fill("vm-not-a-key");
  await check.click();
  await expect(page.getByRole("alert").filter({ hasText: "Regenerate the key in VM" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "credentials with an error");
  await page.screenshot({ path: `${SHOTS}/01-credentials-invalid.png`, fullPage: true });
  await key.fill("vm-demo-admin-key");
  await check.click();

  // Custom headers: a malformed line and an overridden key are refused; a valid header is tested and kept masked.
  await expect(page).toHaveURL(/step=headers$/);
  const headers = page.getByLabel("Headers, one per line as key: value");
  const testHeaders = page.getByRole("button", { name: "Test and continue" });
  await headers.fill("x-api-key: sneaky");
  await testHeaders.click();
  await expect(page.getByRole("alert").filter({ hasText: "key: value" })).toBeVisible();
  await headers.fill("x-snapsec-tenant: acme");
  await expectNoSeriousA11yViolations(page, "custom headers");
  await testHeaders.click();

  // Assessment mapping: a new assessment created in VM, chosen as the unified one.
  await expect(page).toHaveURL(/step=assessments$/);
  await expect(page.getByLabel("Assessment", { exact: true })).toBeVisible();
  await page.getByLabel("Assessment", { exact: true }).selectOption({ label: "Create a new assessment…" });
  await page.getByLabel("New assessment name").fill("Globex threats");
  await page.getByRole("button", { name: "Create in VM" }).click();
  await expect(page.getByLabel("Assessment", { exact: true })).toHaveValue(/^asm_/);
  await page.getByLabel("One assessment per project").check();
  await expect(page.getByRole("table")).toBeVisible();
  await expectNoSeriousA11yViolations(page, "assessment mapping");
  await page.screenshot({ path: `${SHOTS}/02-assessments.png`, fullPage: true });
  await page.getByLabel("One unified assessment").check();
  await page.getByRole("button", { name: "Continue" }).click();

  // Severity filters: every severity off warns; Info (Notification) off for real.
  await expect(page).toHaveURL(/step=severities$/);
  await page.getByRole("switch", { name: /Notification/ }).click();
  await expect(page.getByRole("switch", { name: /Notification/ })).toHaveAttribute("aria-checked", "false");
  await page.getByRole("button", { name: "Continue" }).click();

  // Status auto-sync: the shared board with VM's statuses.
  await expect(page).toHaveURL(/step=status$/);
  await expect(page.getByText("Snapsec VM statuses", { exact: true })).toBeVisible();
  await expect(page.getByRole("group", { name: "Fixed", exact: true }).getByRole("button")).toHaveText([/^Fixed\s*sent$/, "Verified"]);
  await expectNoSeriousA11yViolations(page, "status auto-sync");
  await page.screenshot({ path: `${SHOTS}/03-status.png`, fullPage: true });
  await page.getByRole("button", { name: "Connect Snapsec VM" }).click();

  // Settings: Test connection and Forward existing issues.
  await expect(page).toHaveURL(/\/integrations\/snapsec-vm\/settings\?connected=true/);
  await page.getByRole("button", { name: "Test connection" }).click();
  const diagnostics = page.getByRole("region", { name: "Connection test" });
  await expect(diagnostics).toContainText("The key works");
  await expect(diagnostics).toContainText("x-snapsec-tenant");
  await page.getByRole("button", { name: "Forward existing issues" }).click();
  const progress = page.getByRole("region", { name: "Forwarding progress" });
  await expect(progress).toContainText(/queued by Forward existing issues/);
  await expect(progress).not.toContainText("waiting", { timeout: 60_000 });
  await expect(progress).toContainText(/[1-9]\d* of \d+ issues in Snapsec VM/);
  await expectNoSeriousA11yViolations(page, "settings");
  await page.screenshot({ path: `${SHOTS}/04-settings.png`, fullPage: true });

  // An issue's page says where its record is.
  await page.goto("/issues?severity=critical,high");
  await page.getByRole("table").getByRole("link").first().click();
  await expect(page.getByTestId("forward-state")).toContainText("In Snapsec VM, assessment “Globex threats” since");
  await expect(page.getByRole("heading", { name: "Threat model" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/05-issue.png`, fullPage: true });
});
