// An analyst changes an issue's status in the browser; Salt (the simulator) receives the mapped status.
import { expect, test } from "./test";
import { SYNCED_USERS } from "../server/demo";
import { password } from "./roles";
import { simulatorWriteLog } from "./simulator";

test("an analyst's status change is written back to Salt as the first status of its mapping row", async ({ page }, info) => {
  const analyst = SYNCED_USERS.find((u) => u.role === "analyst")!;
  await page.goto("/sign-in");
  await page.getByLabel("Email", { exact: true }).fill(analyst.email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("viewer-name")).toHaveText(analyst.name);

  // Globex's first sync runs in the server's worker when it starts; wait for its issues.
  await expect(async () => {
    await page.goto("/issues?status=identified&sort=severity&dir=desc");
    await expect(page.getByRole("table").getByRole("link").first()).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 45_000 });
  await page.getByRole("table").getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

  const gapId = (await page.locator("dt", { hasText: "Salt Security id" }).locator("xpath=following-sibling::dd[1]").textContent())?.trim();
  const lastActivity = page.locator("dt", { hasText: "Last activity" }).locator("xpath=following-sibling::dd[1]").locator("time");
  const activityBefore = Date.parse((await lastActivity.getAttribute("datetime"))!);
  const changedAt = Date.now();
  expect(gapId).toMatch(/^[0-9a-z]+$/i);
  await page.getByRole("button", { name: "Change status" }).click();
  await page.getByRole("dialog").getByRole("radio", { name: "Fixed" }).check();
  await page.getByRole("dialog").getByLabel("Reason").fill("Patched in release 4.2");
  await page.getByRole("dialog").getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("undo-toast")).toContainText("Status changed to Fixed");
  // Salt is told once the Undo window (STATUS_UNDO_SECONDS, 10 s by default) has passed.
  await expect(page.getByTestId("write-back-state")).toHaveAttribute("data-state", "done", { timeout: 45_000 });
  await expect(page.getByTestId("write-back-state")).toContainText("updated to “Resolved”");

  // Salt counts the write as activity on the gap; so does the issue.
  await page.reload();
  const activityAfter = Date.parse((await lastActivity.getAttribute("datetime"))!);
  expect(activityAfter).toBeGreaterThan(activityBefore);
  expect(activityAfter).toBeGreaterThanOrEqual(changedAt - 1000);

  const writes = await simulatorWriteLog(info);
  expect(writes).toContainEqual(expect.objectContaining({ postureGapId: gapId, to: "Resolved", changed: true }));

  // The history names who did it.
  await expect(page.getByText(analyst.name).first()).toBeVisible();
});
