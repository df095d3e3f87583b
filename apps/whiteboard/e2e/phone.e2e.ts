import { mkdtempSync, rmSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOTE_TOO_LONG } from "../server/server-definition.js";
import { startWhiteboardServer, type RunningWhiteboardServer } from "../server/start-server.js";
import { SERVER_MAX_NOTE_TEXT } from "../src/shared/schemas.js";
import { expectNoSeriousA11yViolations } from "../../e2e-kit/axe.js";
import { launchChromium, PHONE, type TestBrowser } from "../../e2e-kit/chromium.js";
import type { Point } from "../src/viewport.js";
import { screenshotDir } from "../../e2e-kit/screenshot-dir.js";
import { converged, create, drawn, signIn, WAIT } from "./board-page.js";

let dir: string;
let server: RunningWhiteboardServer;
let browser: TestBrowser;
let ada: Page;
let bob: Page;

/** Whether the element lies fully inside the page's viewport. */
async function onScreen(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const { width, height } = page.viewportSize() ?? { width: 0, height: 0 };
  return (
    box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height
  );
}

/**
 * Real touch input through the browser: one finger down at `from` (page coordinates); when `hold`,
 * kept still until the board shows a marquee; then dragged to `to` and lifted.
 */
async function fingerDrag(page: Page, from: Point, to: Point, hold: boolean): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const touch = (type: "touchStart" | "touchMove" | "touchEnd", at: Point | null) =>
    cdp.send("Input.dispatchTouchEvent", { type, touchPoints: at ? [{ x: at.x, y: at.y, id: 1 }] : [] });
  await touch("touchStart", from);
  if (hold) await page.getByTestId("marquee").waitFor({ ...WAIT, state: "attached" });
  for (let i = 1; i <= 8; i++) {
    await touch("touchMove", {
      x: from.x + ((to.x - from.x) * i) / 8,
      y: from.y + ((to.y - from.y) * i) / 8,
    });
  }
  await touch("touchEnd", null);
  await cdp.detach();
}

describe("whiteboard on phones (390×844, touch), two users", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "whiteboard-phone-e2e-"));
    server = await startWhiteboardServer({ port: 0, dbFile: join(dir, "whiteboard.sqlite"), hmr: false });
    browser = await launchChromium();
    ada = await signIn(browser, server.url, "Ada", PHONE);
    bob = await signIn(browser, server.url, "Bob", PHONE);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("wraps the top bar to fit the phone and places new shapes where the user looks", async () => {
    for (const page of [ada, bob]) {
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    }
    const controls = [
      ada.getByRole("button", { name: "Add sticky note" }),
      ada.getByRole("button", { name: /^Colour #e5e7eb/ }),
      ada.getByRole("button", { name: /^Delete/ }),
      ada.getByRole("button", { name: "Redo" }),
      ada.getByRole("button", { name: "Switch user" }),
      ada.getByRole("status").filter({ hasText: "Online" }),
      ada.getByTestId("presence"),
      ada.getByRole("button", { name: "Fit to content" }),
    ];
    for (const control of controls) expect(await onScreen(ada, control)).toBe(true);

    await ada.getByRole("button", { name: "Add rectangle" }).tap();
    await expect.poll(async () => (await drawn(ada)).length, WAIT).toBe(1);
    const [rect] = await converged(ada, bob);
    for (const page of [ada, bob]) {
      expect(await onScreen(page, page.locator(`[data-id="${rect!.id}"]`).locator("rect").first())).toBe(
        true,
      );
    }
    // Tapping a shape selects it; the toolbar then acts on it.
    await ada.locator(`[data-id="${rect!.id}"]`).tap();
    await ada.getByRole("button", { name: "Colour #fca5a5 for the selected shape" }).tap();
    await expect.poll(async () => (await drawn(bob))[0]?.fill, WAIT).toBe("#fca5a5");
  });

  it("shows the server's limit while a note is typed, and keeps refused text in the editor", async () => {
    const note = await create(bob, "Sticky note");
    await bob.locator(`[data-id="${note}"]`).dblclick();
    const editor = bob.getByLabel("Note text");
    const tooLong = "Bring plates, cups, napkins and the big blanket. ".repeat(4).trim();
    expect(tooLong.length).toBeGreaterThan(SERVER_MAX_NOTE_TEXT);
    await editor.fill(tooLong);
    await expect
      .poll(() => bob.getByTestId("note-limit").textContent(), WAIT)
      .toBe(`${tooLong.length}/${SERVER_MAX_NOTE_TEXT} · the server accepts at most ${SERVER_MAX_NOTE_TEXT}`);
    await editor.press("Enter");

    const toast = bob.getByTestId("rejection");
    await toast.waitFor(WAIT);
    expect(await toast.textContent()).toContain(`Your note wasn't saved. ${NOTE_TOO_LONG}`);
    expect(await toast.textContent()).not.toContain("setText");
    // The editor is open again with the refused text, to shorten; the others never saw it.
    await expect.poll(() => bob.getByLabel("Note text").inputValue(), WAIT).toBe(tooLong);
    expect((await drawn(ada)).find((s) => s.id === note)?.text).toBe("Note");

    await bob.getByLabel("Note text").fill("Bring plates and cups");
    await bob.getByLabel("Note text").press("Enter");
    await expect
      .poll(async () => (await drawn(ada)).find((s) => s.id === note)?.text, WAIT)
      .toBe("Bring plates and cups");
    await toast.getByRole("button", { name: /Dismiss/ }).tap();
  });

  it("names shapes and controls, announces sync status, selects by keyboard, passes axe", async () => {
    const notes = ada.getByRole("button", { name: "Sticky note “Bring plates and cups”" });
    await notes.waitFor(WAIT);
    expect(await ada.getByRole("status").filter({ hasText: "Online" }).getAttribute("aria-live")).toBe(
      "polite",
    );
    await notes.focus();
    await ada.keyboard.press("Space");
    await expect.poll(() => notes.getAttribute("aria-pressed"), WAIT).toBe("true");
    await ada.getByRole("button", { name: "Delete the selected shape" }).waitFor(WAIT);
    // Enter on a focused note opens its editor.
    await notes.focus();
    await ada.keyboard.press("Enter");
    await ada.getByLabel("Note text").waitFor(WAIT);
    await ada.keyboard.press("Escape");
    await ada.getByLabel("Note text").waitFor({ ...WAIT, state: "detached" });

    await expectNoSeriousA11yViolations(ada);
    await expectNoSeriousA11yViolations(bob);
  });

  it("selects several shapes by touch (hold, then drag a marquee) and deletes them together as one undo step", async () => {
    await ada.getByRole("button", { name: "Fit to content" }).tap();
    const shapes = await drawn(ada);
    expect(shapes.length).toBeGreaterThanOrEqual(2);
    const canvas = (await ada.getByTestId("canvas").boundingBox())!;
    // Fit to content leaves a margin: the canvas's corners are empty board.
    const from = { x: canvas.x + 6, y: canvas.y + 6 };
    const to = { x: canvas.x + canvas.width - 6, y: canvas.y + canvas.height - 6 };
    await fingerDrag(ada, from, to, true);
    await expect.poll(() => ada.locator(".selection").count(), WAIT).toBe(shapes.length);

    // The buttons by mouse: after an emulated long press, headless Chromium holds back the next
    // tap's click until another touch starts (a phone's browser does not).
    await ada.getByRole("button", { name: `Delete ${shapes.length} selected shapes` }).click();
    await expect.poll(async () => (await drawn(bob)).length, WAIT).toBe(0);
    await ada.getByRole("button", { name: "Undo" }).click();
    await expect.poll(async () => (await drawn(bob)).length, WAIT).toBe(shapes.length);
  });

  it("saves a phone screenshot of two users", async () => {
    await mkdir(screenshotDir, { recursive: true });
    await browser.screenshotSideBySide(
      [
        { page: ada, caption: "ada on a phone" },
        { page: bob, caption: "bob on a phone" },
      ],
      join(screenshotDir, "whiteboard-phone.png"),
    );
  });
});
