import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWhiteboardServer, type RunningWhiteboardServer } from "../server/start-server.js";
import { launchChromium, type TestBrowser } from "../../e2e-kit/chromium.js";
import { center, converged, create, drawn, signIn, WAIT } from "./board-page.js";

let dir: string;
let server: RunningWhiteboardServer;
let browser: TestBrowser;
let ada: Page;
let bob: Page;

/** Creates a shape and drags it so its centre is at canvas point (x, y). */
async function createAt(page: Page, kind: "Rectangle" | "Ellipse" | "Sticky note", x: number, y: number) {
  const id = await create(page, kind);
  const canvas = (await page.getByTestId("canvas").boundingBox())!;
  const from = await center(page, id);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(canvas.x + x, canvas.y + y, { steps: 3 });
  await page.mouse.up();
  return id;
}

/** Where bob sees shape `id`: the first two numbers of its box (x, y or, for an ellipse, cx, cy). */
async function position(page: Page, id: string): Promise<number[]> {
  const shape = (await drawn(page)).find((s) => s.id === id);
  return (shape?.box.split(",").filter(Boolean).slice(0, 2) ?? []).map(Number);
}

const selectedCount = (page: Page) => page.locator(".selection").count();

describe("whiteboard selection of several shapes in Chromium, two users", () => {
  let rect: string;
  let ellipse: string;
  let note: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "whiteboard-selection-e2e-"));
    server = await startWhiteboardServer({ port: 0, dbFile: join(dir, "whiteboard.sqlite"), hmr: false });
    browser = await launchChromium();
    ada = await signIn(browser, server.url, "Ada");
    bob = await signIn(browser, server.url, "Bob");
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("selects with a marquee and shift-click, and moves the selection together as one undo step", async () => {
    // Placed apart, so that each click lands on the shape it aims at.
    rect = await createAt(ada, "Rectangle", 200, 200);
    ellipse = await createAt(ada, "Ellipse", 450, 200);
    note = await createAt(ada, "Sticky note", 700, 400);
    await converged(ada, bob);
    const canvas = (await ada.getByTestId("canvas").boundingBox())!;
    await ada.mouse.move(canvas.x + 60, canvas.y + 100);
    await ada.mouse.down();
    await ada.mouse.move(canvas.x + 560, canvas.y + 300, { steps: 4 });
    await ada.getByTestId("marquee").waitFor(WAIT);
    await ada.mouse.up();
    await expect.poll(() => selectedCount(ada), WAIT).toBe(2);
    await ada.keyboard.down("Shift");
    await ada.locator(`[data-id="${note}"]`).click();
    await ada.keyboard.up("Shift");
    await expect.poll(() => selectedCount(ada), WAIT).toBe(3);
    expect(await selectedCount(bob)).toBe(0); // a selection is private

    const before = await Promise.all([rect, ellipse, note].map((id) => position(bob, id)));
    const from = await center(ada, ellipse);
    await ada.mouse.move(from.x, from.y);
    await ada.mouse.down();
    await ada.mouse.move(from.x + 30, from.y + 60, { steps: 4 });
    await ada.mouse.up();
    const moved = before.map(([x, y]) => [x! + 30, y! + 60]);
    await expect
      .poll(() => Promise.all([rect, ellipse, note].map((id) => position(bob, id))), WAIT)
      .toEqual(moved);
    await ada.getByRole("button", { name: "Undo" }).click();
    await expect
      .poll(() => Promise.all([rect, ellipse, note].map((id) => position(bob, id))), WAIT)
      .toEqual(before);
  });

  it("nudges with arrow keys, deselects with Escape, selects all with Ctrl+A, deletes together", async () => {
    await ada.keyboard.press("Escape");
    await expect.poll(() => selectedCount(ada), WAIT).toBe(0);
    await ada.locator(`[data-id="${rect}"]`).click();
    const [x, y] = await position(bob, rect);
    await ada.keyboard.press("ArrowRight");
    await ada.keyboard.press("ArrowRight");
    await ada.keyboard.press("Shift+ArrowDown");
    await expect.poll(() => position(bob, rect), WAIT).toEqual([x! + 2, y! + 10]);

    await ada.keyboard.press("ControlOrMeta+a");
    await expect.poll(() => selectedCount(ada), WAIT).toBe(3);
    await ada.getByRole("button", { name: "Delete 3 selected shapes" }).click();
    await expect.poll(async () => (await drawn(bob)).length, WAIT).toBe(0);
    await ada.keyboard.press("ControlOrMeta+z");
    await expect.poll(async () => (await drawn(bob)).length, WAIT).toBe(3);
  });

  it("brings the selection to the front and sends it to the back, for everyone", async () => {
    const order = async () => (await drawn(bob)).map((s) => s.id);
    await expect.poll(order, WAIT).toEqual([rect, ellipse, note]);
    await ada.keyboard.press("Escape");
    await ada.locator(`[data-id="${rect}"]`).click();
    await ada.getByRole("button", { name: "Bring the selected shape to front" }).click();
    await expect.poll(order, WAIT).toEqual([ellipse, note, rect]);
    await ada.locator(`[data-id="${note}"]`).click();
    await ada.keyboard.press("[");
    await expect.poll(order, WAIT).toEqual([note, ellipse, rect]);
    await ada.keyboard.press("ControlOrMeta+z");
    await expect.poll(order, WAIT).toEqual([ellipse, note, rect]);
  });
});
