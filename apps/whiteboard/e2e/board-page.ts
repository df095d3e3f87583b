import type { BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { expect } from "vitest";
import type { TestBrowser } from "../../e2e-kit/chromium.js";
import { recordSyncFrames, type FrameRecorder } from "../../e2e-kit/frame-recorder.js";

/** How long an e2e step waits for its condition. */
export const WAIT = { timeout: 15_000 };

/** What a page draws of one shape. */
export interface DrawnShape {
  id: string;
  kind: string;
  box: string;
  fill: string;
  text: string;
}

/** Opens the board in a new browser context (another user's browser) and signs in as `name`. */
export async function signIn(
  browser: TestBrowser,
  url: string,
  name: string,
  options?: BrowserContextOptions,
): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel("Your name").fill(name);
  await page.getByRole("button", { name: /Continue/ }).click();
  await syncState(page, "online");
  return page;
}

/** One user: their own browser context (storage, IndexedDB), a page on the board, its sync frames. */
export interface BoardUser {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly frames: FrameRecorder;
}

/** As `signIn`, recording the page's sync frames from the start. */
export async function signInRecorded(browser: TestBrowser, url: string, name: string): Promise<BoardUser> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const frames = recordSyncFrames(page);
  await page.goto(url);
  await page.getByLabel("Your name").fill(name);
  await page.getByRole("button", { name: /Continue/ }).click();
  await syncState(page, "online");
  return { context, page, frames };
}

/** Waits until the sync badge shows `state` (online, offline, syncing, connecting). */
export const syncState = (page: Page, state: string) =>
  page.locator(`[data-testid="sync"][data-state="${state}"]`).waitFor(WAIT);

/** Every shape as drawn, in drawing order (board coordinates). */
export function drawn(page: Page): Promise<DrawnShape[]> {
  return page.$$eval("[data-testid=shape]", (groups) =>
    groups.map((g) => {
      const body = g.querySelector("rect, ellipse");
      const attrs = ["x", "y", "width", "height", "cx", "cy", "rx", "ry"].map(
        (a) => body?.getAttribute(a) ?? "",
      );
      return {
        id: g.getAttribute("data-id") ?? "",
        kind: g.getAttribute("data-kind") ?? "",
        box: attrs.join(","),
        fill: body?.getAttribute("fill") ?? "",
        text: g.textContent ?? "",
      };
    }),
  );
}

/** Waits until both pages draw the same shapes, and returns them. */
export async function converged(a: Page, b: Page): Promise<DrawnShape[]> {
  await expect
    .poll(async () => JSON.stringify(await drawn(a)) === JSON.stringify(await drawn(b)), WAIT)
    .toBe(true);
  return drawn(a);
}

/** The drawn body (rect or ellipse) of shape `id`. */
export function shapeBody(page: Page, id: string) {
  return page.locator(`[data-id="${id}"]`).locator("rect, ellipse").first();
}

/** Where shape `id` is on the screen: the centre of its drawn body. */
export async function center(page: Page, id: string): Promise<{ x: number; y: number }> {
  const box = await shapeBody(page, id).boundingBox();
  if (!box) throw new Error(`shape ${id} is not drawn`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Creates a shape with the toolbar and returns its id. */
export async function create(page: Page, kind: "Rectangle" | "Ellipse" | "Sticky note"): Promise<string> {
  const before = new Set((await drawn(page)).map((s) => s.id));
  await page.getByRole("button", { name: `Add ${kind.toLowerCase()}`, exact: true }).click();
  await expect.poll(async () => (await drawn(page)).length, WAIT).toBe(before.size + 1);
  const created = (await drawn(page)).find((s) => !before.has(s.id));
  if (!created) throw new Error("no new shape");
  return created.id;
}
