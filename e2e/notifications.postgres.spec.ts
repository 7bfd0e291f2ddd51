// Settings → Notifications as an admin: save a webhook URL (a real receiver on loopback), send a test notification,
// and see its delivery recorded with the receiver's answer; a viewer reads the same page without the controls.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expectNoSeriousA11yViolations } from "./a11y";
import { storageStateFor } from "./roles";
import { expect, test } from "./test";

const SHOTS = "screenshots/notifications";

test.describe("as an admin", () => {
  test.use({ storageState: async ({}, use, info) => use(storageStateFor("admin", info)) });

  test("saves a webhook, sends a test notification and sees its delivery", async ({ page }) => {
    const received: { text: string }[] = [];
    const receiver = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      received.push(JSON.parse(Buffer.concat(chunks).toString("utf8")) as { text: string });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      await page.goto("/settings/notifications");
      await expect(page.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();
      await expectNoSeriousA11yViolations(page, "notifications");

      const webhook = page.getByLabel("Webhook URL");
      await webhook.fill("http://hooks.example.com/x");
      await page.getByRole("button", { name: "Save" }).click();
      await expect(page.getByText("The webhook URL must use https")).toBeVisible();

      await webhook.fill(url);
      await page.getByRole("switch", { name: "New Critical issues" }).click();
      await expect(page.getByRole("switch", { name: "New Critical issues" })).toHaveAttribute("aria-checked", "false");
      await page.getByRole("button", { name: "Save" }).click();
      await expect(page.getByText("Saved.")).toBeVisible();

      await page.reload();
      await expect(page.getByLabel("Webhook URL")).toHaveValue(url);
      await expect(page.getByRole("switch", { name: "New Critical issues" })).toHaveAttribute("aria-checked", "false");

      await page.getByRole("button", { name: "Send test notification" }).click();
      const table = page.getByRole("table", { name: "Recent deliveries" });
      const row = table.getByRole("row").filter({ hasText: "Test" });
      await expect(row).toContainText("Sent", { timeout: 30_000 });
      await expect(row).toContainText("200 · ok");
      expect(received.map((r) => r.text)).toEqual(["Test notification from Postura: this destination works."]);
      await expectNoSeriousA11yViolations(page, "notifications with a delivery");
      await page.screenshot({ path: `${SHOTS}/01-settings-and-delivery.png`, fullPage: true });
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});

test.describe("as a viewer", () => {
  test.use({ storageState: async ({}, use, info) => use(storageStateFor("viewer", info)) });

  test("reads the settings without the controls", async ({ page }) => {
    await page.goto("/settings/notifications");
    await expect(page.getByText("Only admins can change notifications.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Send test notification" })).toHaveCount(0);
    await expect(page.getByLabel("Webhook URL")).toBeDisabled();
    await expectNoSeriousA11yViolations(page, "notifications read-only");
  });
});
