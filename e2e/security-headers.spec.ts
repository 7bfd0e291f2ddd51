// Every page carries the security headers (CSP with frame-ancestors 'none' and a per-request script nonce,
// nosniff, no framing, a referrer policy), still hydrates under that CSP with no console error, and cannot be
// framed by another site.
import { expect, test } from "./test";
import { storageStateFor } from "./roles";

function expectSecurityHeaders(headers: Record<string, string>) {
  const csp = headers["content-security-policy"] ?? "";
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toContain("unsafe-eval");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  // The e2e servers run on http://localhost, where HSTS must not be sent.
  expect(headers["strict-transport-security"]).toBeUndefined();
}

// Console errors, CSP violations first, fail every test through the shared fixture (e2e/test.ts).

test.describe("signed out", () => {
  // The 401 of the refused sign-in is the only console message a browser writes here.
  test.use({ expectedErrors: [/status of 401/] });

  test("the sign-in page has the headers, a fresh nonce per request, and hydrates", async ({ page }) => {
    const first = await page.goto("/sign-in");
    expectSecurityHeaders(first!.headers());
    const second = await page.goto("/sign-in");
    expect(second!.headers()["content-security-policy"]).not.toBe(first!.headers()["content-security-policy"]);
    // Hydrated: the form's client-side submit shows the refusal inline.
    await page.getByLabel("Email", { exact: true }).fill("nobody@example.test");
    await page.getByLabel("Password", { exact: true }).fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong email or password.");
  });
});

test.describe("signed in as admin", () => {
  test.use({ storageState: async ({}, use, info) => use(storageStateFor("admin", info)) });

  for (const path of [
    "/assets/fqdns",
    "/assets/apis",
    "/issues",
    "/integrations",
    "/integrations/salt-security/connect",
    "/integrations/salt-security/settings",
  ]) {
    test(`${path} has the headers and renders under the CSP with no console error`, async ({ page }) => {
      const response = await page.goto(path);
      expect(response!.status()).toBeLessThan(400);
      expectSecurityHeaders(response!.headers());
      await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
      // Scripts ran: a sidebar link navigates on the client.
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Issues", exact: true }).click();
      await expect(page).toHaveURL(/\/issues$/);
      await expect(page.getByRole("heading", { level: 1, name: "Issues" })).toBeVisible();
    });
  }

  // Detail routes: the demo company has no synced rows on either engine, so an unknown id (the not-found
  // answer) stands in; the headers come from the proxy for every route whatever the page renders.
  for (const detail of ["/assets/fqdns/", "/assets/apis/", "/issues/"]) {
    test.describe(() => {
      // The page asks for the unknown row and the browser logs the 404 answer.
      test.use({ expectedErrors: [/status of 404/] });
      test(`detail pages under ${detail} have the headers`, async ({ page }) => {
        const response = await page.goto(`${detail}00000000-0000-4000-8000-000000000000`);
        expectSecurityHeaders(response!.headers());
      });
    });
  }

  test.describe(() => {
    // The browser reports the refused frame as a console error: that is the point of the test.
    test.use({ expectedErrors: [/frame-ancestors|X-Frame-Options|refused to (display|frame)/i] });
    test("another site cannot frame the settings page", async ({ page, baseURL }) => {
      const blocked: string[] = [];
      page.on("console", (message) => {
        if (/frame-ancestors|X-Frame-Options|refused to (display|frame)/i.test(message.text())) blocked.push(message.text());
      });
      await page.setContent(`<iframe id="victim" src="${baseURL}/integrations/salt-security/settings" width="800" height="600"></iframe>`);
      await expect.poll(() => blocked.length).toBeGreaterThan(0);
      const frame = page.frame({ url: /integrations\/salt-security\/settings/ });
      await expect(
        frame ? frame.getByRole("button", { name: "Check connection" }) : page.getByRole("button", { name: "Check connection" }),
      ).toHaveCount(0);
    });
  });
});

test("static assets and API answers carry nosniff and no-framing too", async ({ request }) => {
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(health.headers()["x-content-type-options"]).toBe("nosniff");
  expect(health.headers()["x-frame-options"]).toBe("DENY");
  const icon = await request.get("/icon.svg");
  expect(icon.headers()["x-content-type-options"]).toBe("nosniff");
});
