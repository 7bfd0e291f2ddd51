// The demo company's people, as the end-to-end tests sign in with them.
import { expect, type Page, type TestInfo } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_USERS } from "../server/demo";

export type RoleName = "admin" | "analyst" | "viewer";
export const password = DEMO_PASSWORD;
export function person(role: RoleName) {
  const found = DEMO_USERS.find((u) => u.role === role);
  if (!found) throw new Error(`no demo ${role}`);
  return found;
}

/** Each engine's server has its own sessions, so the saved sign-in is per engine and role. */
export function storageStateFor(role: RoleName, info: TestInfo): string {
  return `e2e/.auth/${String(info.project.metadata.engine)}-${role}.json`;
}

/** Signs in through the form: for people without a saved session (the synced company's). */
export async function signIn(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("viewer-name")).toBeVisible();
}
