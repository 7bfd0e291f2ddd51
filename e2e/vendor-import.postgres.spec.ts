// The Vulnerability Vendor Import permission in the browser: an analyst of Globex (connected to Salt) sees no
// way to run an import until an admin grants it, then runs one from the Integrations page.
import { expect, test } from "./test";
import postgres from "postgres";
import { DEMO_PASSWORD, SYNCED_USERS } from "../server/demo";

const analyst = SYNCED_USERS.find((u) => u.role === "analyst")!;

async function setGrant(permissions: string[]) {
  const sql = postgres(process.env.E2E_DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    await sql`update memberships set permissions = ${permissions} where user_id = (select id from "user" where email = ${analyst.email})`;
  } finally {
    await sql.end();
  }
}

test.afterEach(async () => {
  await setGrant([]);
});

test("an analyst runs an import only once granted Vulnerability Vendor Import", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email", { exact: true }).fill(analyst.email);
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("viewer-name")).toHaveText(analyst.name);

  await page.goto("/integrations");
  const card = page.getByRole("listitem").filter({ hasText: "Salt Security" });
  await expect(card.getByText("Managed by your admins")).toBeVisible();
  await expect(card.getByRole("button", { name: "Sync now" })).toHaveCount(0);

  await setGrant(["vendor_import"]);
  await page.reload();
  await card.getByRole("button", { name: "Sync now" }).click();
  await expect(card.getByText(/Queued \d+ domains?/)).toBeVisible();
  await expect(card.getByRole("link", { name: "Settings" })).toHaveCount(0);
});
