// Settings → Labels, as Globex's admin (Salt connected and synced from the simulator, whose hosts carry app:, env:
// and team: labels): the preview says what each label becomes as the prefix is typed, the saved rule is there
// after a reload, and the tab passes axe. (That the next sync follows the rule is test/application-labels.test.ts.)
import { SYNCED_USERS } from "../server/demo";
import { expectNoSeriousA11yViolations } from "./a11y";
import { signIn } from "./roles";
import { expect, type Page, test } from "./test";

const globexAdmin = SYNCED_USERS.find((u) => u.role === "admin")!;

/** The "Becomes" cell of the first label row whose label matches. */
function becomes(page: Page, label: RegExp) {
  return page.getByRole("row").filter({ has: page.getByRole("cell", { name: label }) }).first().getByRole("cell").last();
}

test("an admin sees what each Salt label becomes as the prefix is typed, and saves the rule", async ({ page }) => {
  await signIn(page, globexAdmin.email);
  await page.goto("/integrations/salt-security/settings?tab=labels");
  const prefix = page.getByLabel("Labels that name an application start with");
  const save = page.getByRole("button", { name: "Save rule" });
  await expect(prefix).toHaveValue("app:");
  await expect(becomes(page, /^app:/)).toContainText("Application");
  await expect(becomes(page, /^env:/)).toHaveText("Tag only");
  await expect(save).toBeDisabled();
  await expectNoSeriousA11yViolations(page, "Settings → Labels");
  await page.screenshot({ path: "screenshots/settings-labels.png", fullPage: true });

  await prefix.fill("env:");
  await expect(becomes(page, /^env:prod$/)).toHaveText(/Application\s*prod/);
  await expect(becomes(page, /^app:/)).toHaveText("Tag only");
  await save.click();
  await expect(page.getByRole("status").filter({ hasText: "Rule saved" })).toBeVisible();
  await page.reload();
  await expect(prefix).toHaveValue("env:");

  // Back to the default, so what other journeys sync on this company is what they expect.
  await prefix.fill("app:");
  await save.click();
  await expect(page.getByRole("status").filter({ hasText: "Rule saved" })).toBeVisible();
  await page.reload();
  await expect(prefix).toHaveValue("app:");
});
