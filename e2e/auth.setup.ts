// Signs in once per role through the real sign-in form and saves the session for the other specs.
import { expect, test as setup } from "./test";
import { password, person, type RoleName, storageStateFor } from "./roles";

for (const role of ["admin", "analyst", "viewer"] as const satisfies RoleName[]) {
  setup(`sign in as ${role}`, async ({ page }, info) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email", { exact: true }).fill(person(role).email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("viewer-name")).toHaveText(person(role).name);
    await page.context().storageState({ path: storageStateFor(role, info) });
  });
}
