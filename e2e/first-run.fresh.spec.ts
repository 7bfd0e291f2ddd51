// A team's first day with Postura on an empty database: the setup screen creates the company and its admin, the
// admin invites an analyst, the analyst accepts the link, signs in and changes an issue's status, and the admin
// finds that change in the audit log.
import { expect, type Page, test } from "./test";
import postgres from "postgres";

const admin = { company: "Initrode Security", name: "Ada Admin", email: "ada@initrode.example", password: "ada-first-password" };
const analyst = { name: "Alan Analyst", email: "alan@initrode.example", password: "alan-analyst-password" };

/** The fresh install has no integration yet; one imported issue stands in for what a first sync brings. */
async function seedOneIssue(companyName: string): Promise<string> {
  const sql = postgres(process.env.E2E_FRESH_DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    const [company] = await sql<{ id: string }[]>`select id from companies where name = ${companyName}`;
    const [asset] = await sql<{ id: string }[]>`
      insert into assets (company_id, asset_type, name, external_ref, business_impact)
      values (${company!.id}, 'domain', 'api.initrode.example', 'api.initrode.example', 'medium') returning id`;
    const [issue] = await sql<{ id: string }[]>`
      insert into issues (company_id, asset_id, domain_asset_id, title, severity)
      values (${company!.id}, ${asset!.id}, ${asset!.id}, 'Broken object level authorization on /orders/{id}', 'high') returning id`;
    return issue!.id;
  } finally {
    await sql.end();
  }
}

async function addAdminToSecondCompany(email: string, companyName: string) {
  const sql = postgres(process.env.E2E_FRESH_DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    const [company] = await sql<{ id: string }[]>`insert into companies (name, public_id) values (${companyName}, ${`cmp_e2e_${Date.now()}`}) returning id`;
    await sql`insert into memberships (user_id, company_id, role) select id, ${company!.id}, 'admin' from "user" where email = ${email}`;
  } finally {
    await sql.end();
  }
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("set up, invite an analyst who changes a status, and see it in the audit log", async ({ page, browser }, info) => {
  // A whole first day in one test (three people's browsers); the default minute is for single pages.
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });

  // Every page leads to setup on a fresh install.
  await page.goto("/issues");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { level: 1, name: "Set up Postura" })).toBeVisible();
  await page.getByRole("button", { name: "Create company and admin" }).click();
  await expect(page.getByText("Enter the company's name.")).toBeVisible();
  await page.screenshot({ path: info.outputPath("setup.png"), fullPage: true });

  await page.getByLabel("Company name").fill(admin.company);
  await page.getByLabel("Your name").fill(admin.name);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password", { exact: true }).fill(admin.password);
  await page.getByLabel("Confirm password").fill(admin.password);
  await page.getByRole("button", { name: "Create company and admin" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Members" })).toBeVisible();
  await expect(page.getByText("Postura is set up.")).toBeVisible();
  await expect(page.getByTestId("viewer-name")).toHaveText(admin.name);

  // Setup is gone for good.
  await page.goto("/setup");
  await expect(page).not.toHaveURL(/\/setup$/);

  const issueId = await seedOneIssue(admin.company);

  // Invite the analyst and copy the link.
  await page.goto("/settings/members");
  await page.getByRole("button", { name: "Invite member" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Email").fill(analyst.email);
  await dialog.getByLabel("Role").selectOption("analyst");
  await dialog.getByRole("button", { name: "Create invitation link" }).click();
  const link = await dialog.getByTestId("invitation-link").inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("invitation-row")).toContainText(analyst.email);
  await page.screenshot({ path: info.outputPath("members.png"), fullPage: true });

  // The analyst, in their own browser, accepts and signs in.
  const analystContext = await browser.newContext();
  const analystPage = await analystContext.newPage();
  await analystPage.goto(link);
  await expect(analystPage.getByText(`Join ${admin.company} as analyst.`)).toBeVisible();
  await analystPage.getByLabel("Your name").fill(analyst.name);
  await analystPage.getByLabel("Password", { exact: true }).fill(analyst.password);
  await analystPage.getByLabel("Confirm password").fill(analyst.password);
  await analystPage.getByRole("button", { name: "Accept and sign in" }).click();
  await expect(analystPage.getByTestId("viewer-name")).toHaveText(analyst.name);

  // The link works once.
  const reuse = await browser.newContext();
  const reusePage = await reuse.newPage();
  await reusePage.goto(link);
  await expect(reusePage.getByText("This invitation has already been used.")).toBeVisible();
  await reuse.close();

  // Sign out and in again with the new password, then change the issue's status.
  await analystPage.getByRole("button", { name: /Account menu/ }).click();
  await analystPage.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(analystPage).toHaveURL(/\/sign-in$/);
  await signIn(analystPage, analyst.email, analyst.password);
  await expect(analystPage.getByTestId("viewer-name")).toHaveText(analyst.name);
  // Analysts do not see the admin settings.
  await expect(analystPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" })).toHaveCount(0);
  await analystPage.goto(`/issues/${issueId}`);
  await analystPage.getByRole("button", { name: "Change status" }).click();
  await analystPage.getByRole("dialog").getByRole("radio", { name: "In Progress" }).check();
  await analystPage.getByRole("dialog").getByRole("button", { name: "Apply" }).click();
  // The history names them (the owner picker lists them too, so look in the history's rows).
  await expect(analystPage.getByRole("listitem").filter({ hasText: `by ${analyst.name} (${analyst.email})` })).toBeVisible();
  await analystContext.close();

  // The admin sees the change, by whom and from where, in the audit log.
  await page.goto("/settings/audit-log");
  await page.getByLabel("Action").selectOption("issue.status_changed");
  const row = page.getByTestId("audit-row").first();
  await expect(row).toContainText("Issue status changed");
  await expect(row).toContainText(analyst.name);
  await expect(row).toContainText(analyst.email);
  await expect(row).toContainText("Broken object level authorization on /orders/{id}");
  await expect(row).toContainText("status: Identified → In Progress");
  await page.getByLabel("Action").selectOption("");
  await expect(page.getByTestId("audit-row").filter({ hasText: "Invitation accepted" })).toBeVisible();
  await page.screenshot({ path: info.outputPath("audit-log.png"), fullPage: true });

  // A second company for the admin (as an invitation from it would do): the account menu switches between them.
  await addAdminToSecondCompany(admin.email, "Initrode Labs");
  await page.goto("/issues");
  await expect(page.getByRole("link", { name: "Broken object level authorization on /orders/{id}" })).toBeVisible();
  await page.getByRole("button", { name: /Account menu/ }).click();
  await expect(page.getByRole("menuitem", { name: "Current company: Initrode Security" })).toBeVisible();
  await page.screenshot({ path: info.outputPath("company-switcher.png") });
  await page.getByRole("menuitem", { name: "Switch to Initrode Labs" }).click();
  await expect(page.getByText("Initrode Labs · Admin")).toBeVisible();
  // Every list follows the current company: Initrode Security's issue is not Initrode Labs'.
  await page.goto("/issues");
  await expect(page.getByText("No issues yet")).toBeVisible();
  await expect(page.getByRole("link", { name: "Broken object level authorization on /orders/{id}" })).toHaveCount(0);

  expect(errors).toEqual([]);
});
