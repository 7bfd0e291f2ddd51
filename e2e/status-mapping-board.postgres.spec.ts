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

/**
 * Scrolls to a fraction of the way down to "bottom": the board's Continue / Save button at the window's lower edge
 * (where the Unmapped tray sits low in the window, as it did when the page crashed), whatever the page has below.
 */
async function scrollTo(page: Page, where: keyof typeof SCROLL) {
  await page.evaluate((fraction) => {
    const footer = [...document.querySelectorAll("button")].find((b) => /^(Continue|Save mapping)$/.test(b.textContent?.trim() ?? ""));
    const bottom = footer
      ? footer.getBoundingClientRect().bottom + window.scrollY + 16 - window.innerHeight
      : document.documentElement.scrollHeight - window.innerHeight;
    window.scrollTo(0, Math.max(0, bottom) * fraction);
  }, SCROLL[where]);
}

/**
 * Rows whose middle is in the window, clear of the bands along its top and bottom edge where a drag scrolls the
 * page (dnd-kit's auto-scroll, 20% of the height): there the page would move under a drag planned beforehand.
 */
async function visibleRows(page: Page): Promise<Row[]> {
  const height = page.viewportSize()!.height;
  const visible: Row[] = [];
  for (const name of ROWS) {
    const box = await row(page, name).boundingBox();
    const middle = box ? box.y + box.height / 2 : -1;
    if (middle >= height * 0.22 && middle <= height * 0.78) visible.push(name);
  }
  return visible;
}

/**
 * A mouse drag as a hand makes it: press, nudge past the activation distance, glide onto the other row, linger
 * about the edge between the two rows (where a layout shift of a pixel or two decides which row the chip is
 * over), then settle in the middle of the other row and let go.
 */
async function drag(page: Page, chip: Locator, from: Locator, to: Locator) {
  const start = await chip.boundingBox();
  const source = await from.boundingBox();
  const target = await to.boundingBox();
  if (!start || !source || !target) throw new Error("board not laid out");
  const x = target.x + target.width - 60;
  const middle = target.y + target.height / 2;
  const edge = target.y > source.y ? (source.y + source.height + target.y) / 2 : (target.y + target.height + source.y) / 2;
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
  await page.mouse.down();
  await page.mouse.move(start.x + start.width / 2 + 10, start.y + start.height / 2 - 5, { steps: 4 });
  await page.mouse.move(x, middle, { steps: 12 });
  for (const dy of [-2, 2, -1, 1]) await page.mouse.move(x, edge + dy, { steps: 2 });
  await page.mouse.move(x, middle, { steps: 6 });
  await page.mouse.up();
}

/**
 * At each scroll position: the lowest row in view holding a chip gives one to the row in view next to it, and
 * takes it back. Both moves must land, and the page must stay up. A position with fewer than two rows in view
 * (the top of Settings in a small window) has nothing to drag between; the bottom always has.
 */
async function dragAtEveryScrollPosition(page: Page) {
  const dragged: string[] = [];
  for (const where of Object.keys(SCROLL) as (keyof typeof SCROLL)[]) {
    await scrollTo(page, where);
    const visible = await visibleRows(page);
    let source: Row | undefined;
    for (const name of [...visible].reverse()) if ((await chipsIn(page, name)).length > 0 && !source) source = name;
    const i = source ? visible.indexOf(source) : -1;
    const target = visible[i + 1] ?? visible[i - 1];
    if (!source || !target) continue;
    const [status] = await chipsIn(page, source);
    const before = await chipsIn(page, target);
    const scrollY = await page.evaluate(() => window.scrollY);

    await drag(page, row(page, source).getByRole("button", { name: status, exact: true }), row(page, source), row(page, target));
    await expect.poll(() => chipsIn(page, target), `${status} dragged from ${source} to ${target} (${where})`).toContain(status);
    expect(await chipsIn(page, source)).not.toContain(status);

    // Back from the same scroll position, not the same fraction of a page whose height may have changed: the rows
    // both drags use were chosen clear of the auto-scroll bands at this position.
    // (A page that got shorter clamps the scroll; then the two rows are brought to the middle of the window.)
    await page.evaluate((y) => window.scrollTo(0, y), scrollY);
    const clear = await visibleRows(page);
    if (!clear.includes(source) || !clear.includes(target)) await row(page, target).evaluate((el) => el.scrollIntoView({ block: "center" }));
    await drag(page, row(page, target).getByRole("button", { name: status, exact: true }), row(page, target), row(page, source));
    await expect.poll(() => chipsIn(page, source), `${status} dragged back to ${source} (${where})`).toContain(status);
    expect((await chipsIn(page, target)).sort()).toEqual([...before].sort());
    await expect(page.getByText("This page couldn't load")).toHaveCount(0);
    dragged.push(where);
  }
  expect(dragged, "scroll positions with a drag").toContain("bottom");
  expect(dragged.length).toBeGreaterThanOrEqual(2);
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
        test.setTimeout(300_000);
        await openWizardMapping(page);
        await dragAtEveryScrollPosition(page);
      });
    });

    test.describe("in Settings", () => {
      test("a chip dragged between rows at the top, middle and bottom of the page lands there", async ({ page }) => {
        test.setTimeout(300_000);
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
