// Signing in and out, and finding one's way around the app shell, as each role.
import { expect, test } from "./test";
import { password, person, storageStateFor } from "./roles";

test.describe("a wrong password", () => {
  // The browser reports the refused sign-in request (HTTP 401) on its console: that is the expected answer.
  test.use({ expectedErrors: [/status of 401/] });

  test("is refused with a clear message", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email", { exact: true }).fill(person("admin").email);
    await page.getByLabel("Password", { exact: true }).fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong email or password.");
    await expect(page).toHaveURL(/\/sign-in$/);
  });
});

test("signed-out visitors are sent to sign-in", async ({ page }) => {
  await page.goto("/issues");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByText("Demo accounts")).toBeVisible();
});

for (const role of ["admin", "analyst", "viewer"] as const) {
  test.describe(`as ${role}`, () => {
    test.use({ storageState: async ({}, use, info) => use(storageStateFor(role, info)) });

    test("navigates the sidebar and sees who and where they are", async ({ page }) => {
      await page.goto("/");
      // The Overview is the first page after sign-in.
      await expect(page).toHaveURL(/\/overview$/);
      await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
      const nav = page.getByRole("navigation", { name: "Main" });
      for (const [link, heading] of [
        ["Integrations", "Integrations"],
        ["APIs", "APIs"],
        ["Issues", "Issues"],
        ["FQDNs", "FQDNs"],
        ["Overview", "Overview"],
      ] as const) {
        await nav.getByRole("link", { name: link, exact: true }).click();
        await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
        await expect(nav.getByRole("link", { name: link, exact: true })).toHaveAttribute("aria-current", "page");
      }
      await page.getByRole("button", { name: /Account menu/ }).click();
      await expect(page.getByTestId("viewer-role")).toHaveText(role[0]!.toUpperCase() + role.slice(1));
      await expect(page.getByText("Acme Payments")).toBeVisible();
    });
  });
}

test("signing out ends the session", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email", { exact: true }).fill(person("analyst").email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("viewer-name")).toHaveText(person("analyst").name);
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/assets/fqdns");
  await expect(page).toHaveURL(/\/sign-in$/);
});
