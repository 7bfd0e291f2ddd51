// The status-mapping board under the mouse and the keyboard, in the wizard (Acme, not connected) and in Settings
// (Globex, connected): a chip dragged between rows with the page scrolled to its top, middle and bottom, at two
// window sizes, lands where it was dropped and the page keeps working (it used to stop with React error #185
// when an emptied row shrank under the pointer); ArrowUp / ArrowDown reach every row, empty or not, and the
// announcement names the row the chip is shown in.
import { SYNCED_USERS } from "../server/demo";
import { signIn, storageStateFor } from "./roles";
import { expect, type Locator, type Page, test } from "./test";

const ROWS = ["Identified", "In Progress", "Fixed", "Risk Accepted", "False Positive", "Unmapped Salt statuses"] as const;
type Row = (typeof ROWS)[number];
const VIEWPORTS = [
  { width: 1440, height: 960 },
  { width: 1024, height: 768 },
] as const;
const SCROLL = { top: 0, middle: 0.5, bottom: 1 } as const;

function row(page: Page, name: Row): Locator {
  return page.getByRole("group", { name, exact: true });
}

async function chipsIn(page: Page, name: Row): Promise<string[]> {
  const texts = await row(page, name).getByRole("button").allInnerTexts();
  return texts.map((t) => t.replace(/write-back/, "").trim());
}

async function scrollTo(page: Page, where: keyof typeof SCROLL) {
  await page.evaluate((fraction) => window.scrollTo(0, (document.documentElement.scrollHeight - window.innerHeight) * fraction), SCROLL[where]);
}

/** Rows wholly inside the window, top to bottom. */
async function visibleRows(page: Page): Promise<Row[]> {
  const height = page.viewportSize()!.height;
  const visible: Row[] = [];
  for (const name of ROWS) {
    const box = await row(page, name).boundingBox();
    if (box && box.y >= 0 && box.y + box.height <= height) visible.push(name);
  }
  return visible;
}

/** A mouse drag as a person makes it: press, nudge past the activation distance, glide onto the row, let go. */
async function drag(page: Page, chip: Locator, target: Locator) {
  const from = await chip.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error("board not laid out");
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2 - 5, { steps: 4 });
  await page.mouse.move(to.x + to.width - 40, to.y + to.height / 2, { steps: 12 });
  // Linger on the row, as a hand does: the layout has time to shift under the pointer.
  await page.mouse.move(to.x + to.width - 44, to.y + to.height / 2 + 1, { steps: 6 });
  await page.mouse.up();
}

/**
 * At each scroll position: the lowest visible row holding a chip gives one to the visible row next to it, and
 * takes it back. Both moves must land, and the page must stay up.
 */
async function dragAtEveryScrollPosition(page: Page) {
  for (const where of Object.keys(SCROLL) as (keyof typeof SCROLL)[]) {
    await scrollTo(page, where);
    const visible = await visibleRows(page);
    let source: Row | undefined;
    for (const name of [...visible].reverse()) if ((await chipsIn(page, name)).length > 0 && !source) source = name;
    if (!source) throw new Error(`no chip in view with the page scrolled to its ${where}: ${visible.join(", ")}`);
    const i = visible.indexOf(source);
    const target = visible[i + 1] ?? visible[i - 1];
    if (!target) throw new Error(`only one row in view with the page scrolled to its ${where}`);
    const [status] = await chipsIn(page, source);
    const before = { source: await chipsIn(page, source), target: await chipsIn(page, target) };

    await drag(page, row(page, source).getByRole("button", { name: status, exact: true }), row(page, target));
    await expect.poll(() => chipsIn(page, target), `${status} dragged from ${source} to ${target} (${where})`).toContain(status);
    expect(await chipsIn(page, source)).not.toContain(status);

    await scrollTo(page, where);
    await drag(page, row(page, target).getByRole("button", { name: status, exact: true }), row(page, source));
    await expect.poll(() => chipsIn(page, source), `${status} dragged back to ${source} (${where})`).toContain(status);
    expect((await chipsIn(page, target)).sort()).toEqual([...before.target].sort());
    await expect(page.getByText("This page couldn't load")).toHaveCount(0);
  }
}

async function openWizardMapping(page: Page) {
  await page.goto("/integrations/salt-security/connect?step=mapping");
  // Without a draft past the credentials step, the wizard starts there.
  if (/step=credentials/.test(page.url())) {
    await page.getByLabel("Salt Security API Key").fill("salt-us-full");
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await expect(page).toHaveURL(/step=mapping$/);
  }
  await expect(row(page, "Identified")).toBeVisible();
}

async function openSettingsMapping(page: Page) {
  await page.goto("/integrations/salt-security/settings?tab=mapping");
  await expect(row(page, "Identified")).toBeVisible();
}

for (const viewport of VIEWPORTS) {
  test.describe(`at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test.describe("in the wizard", () => {
      test.use({ storageState: async ({}, use, info) => use(storageStateFor("admin", info)) });

      test("a chip dragged between rows at the top, middle and bottom of the page lands there", async ({ page }) => {
        await openWizardMapping(page);
        await dragAtEveryScrollPosition(page);
      });
    });

    test.describe("in Settings", () => {
      test("a chip dragged between rows at the top, middle and bottom of the page lands there", async ({ page }) => {
        await signIn(page, SYNCED_USERS.find((u) => u.role === "admin")!.email);
        await openSettingsMapping(page);
        await dragAtEveryScrollPosition(page);
      });
    });
  });
}

test.describe("with the keyboard", () => {
  test("ArrowUp and ArrowDown reach every row, empty or not, and the announcement names the row the chip is in", async ({ page }) => {
    await signIn(page, SYNCED_USERS.find((u) => u.role === "admin")!.email);
    await openSettingsMapping(page);
    const announcement = page.locator("[id^=DndLiveRegion]");
    const expectIn = async (name: Row) => {
      await expect.poll(() => chipsIn(page, name), `Ignored in ${name}`).toContain("Ignored");
      await expect(announcement).toContainText(`Salt status Ignored is in ${name}`);
    };

    await row(page, "Risk Accepted").getByRole("button", { name: "Ignored" }).focus();
    await page.keyboard.press("Space");
    await expect(announcement).toContainText("Picked up Salt status Ignored, in Risk Accepted");

    // Down into the empty False Positive row and the empty tray, then up through every row, Risk Accepted
    // (emptied by the pick-up) included, and down again.
    const path: Row[] = ["False Positive", "Unmapped Salt statuses", "False Positive", "Risk Accepted", "Fixed", "In Progress", "Identified"];
    let at: Row = "Risk Accepted";
    for (const next of path) {
      await page.keyboard.press(ROWS.indexOf(next) > ROWS.indexOf(at) ? "ArrowDown" : "ArrowUp");
      await expectIn(next);
      at = next;
    }
    for (const next of ["In Progress", "Fixed", "Risk Accepted", "False Positive"] as const) {
      await page.keyboard.press("ArrowDown");
      await expectIn(next);
    }
    await page.keyboard.press("Space");
    await expect(announcement).toContainText("Dropped Salt status Ignored in False Positive");
    expect(await chipsIn(page, "False Positive")).toEqual(["Ignored"]);
    expect(await chipsIn(page, "Risk Accepted")).toEqual([]);

    // Escape puts a chip back where it was picked up, and says where.
    await row(page, "False Positive").getByRole("button", { name: "Ignored" }).focus();
    await page.keyboard.press("Space");
    await page.keyboard.press("ArrowUp");
    await expectIn("Risk Accepted");
    await page.keyboard.press("Escape");
    await expect(announcement).toContainText("Cancelled. Salt status Ignored is back in False Positive");
    expect(await chipsIn(page, "False Positive")).toEqual(["Ignored"]);
  });
});
