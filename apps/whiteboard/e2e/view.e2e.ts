import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWhiteboardServer, type RunningWhiteboardServer } from "../server/start-server.js";
import { launchChromium, type TestBrowser } from "../../e2e-kit/chromium.js";
import { center, converged, create, drawn, shapeBody, signIn, WAIT } from "./board-page.js";

let dir: string;
let server: RunningWhiteboardServer;
let browser: TestBrowser;
let ada: Page;
let bob: Page;

/** The canvas's view as drawn: pan x, pan y, scale. */
async function view(page: Page): Promise<{ x: number; y: number; scale: number }> {
  const [x, y, scale] = ((await page.getByTestId("canvas").getAttribute("data-view")) ?? "")
    .split(",")
    .map(Number);
  return { x: x!, y: y!, scale: scale! };
}

/** Whether any part of shape `id` is inside the page's viewport. */
async function visible(page: Page, id: string): Promise<boolean> {
  const box = await shapeBody(page, id).boundingBox();
  const size = page.viewportSize()!;
  return (
    box !== null &&
    box.x + box.width > 0 &&
    box.x < size.width &&
    box.y + box.height > 0 &&
    box.y < size.height
  );
}

/** Two touches on the empty board at canvas point `at`, `from` apart, spreading to `to` apart. */
async function pinch(page: Page, at: { x: number; y: number }, from: number, to: number): Promise<void> {
  await page.evaluate(
    ({ at, from, to }) => {
      const canvas = document.querySelector("[data-testid=canvas]")!;
      const rect = canvas.getBoundingClientRect();
      const touch = (type: string, pointerId: number, dx: number) =>
        canvas.dispatchEvent(
          new PointerEvent(type, {
            bubbles: true,
            pointerId,
            pointerType: "touch",
            isPrimary: pointerId === 1,
            clientX: rect.left + at.x + dx,
            clientY: rect.top + at.y,
          }),
        );
      touch("pointerdown", 1, -from / 2);
      touch("pointerdown", 2, from / 2);
      for (let i = 1; i <= 5; i++) {
        const half = (from + ((to - from) * i) / 5) / 2;
        touch("pointermove", 1, -half);
        touch("pointermove", 2, half);
      }
      touch("pointerup", 1, -to / 2);
      touch("pointerup", 2, to / 2);
    },
    { at, from, to },
  );
}

describe("whiteboard pan and zoom in Chromium, two users", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "whiteboard-view-e2e-"));
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

  let far: string;

  it("pans with the wheel, creates where the user looks, and fits to content to find it again", async () => {
    await bob.mouse.move(500, 400);
    await bob.mouse.wheel(2400, 1500);
    await expect.poll(() => view(bob), WAIT).toEqual({ x: -2400, y: -1500, scale: 1 });
    far = await create(bob, "Rectangle");
    expect(await visible(bob, far)).toBe(true);
    await converged(ada, bob);
    // Far off ada's screen, not lost: "Fit to content" brings it into view.
    expect(await visible(ada, far)).toBe(false);
    const near = await create(ada, "Ellipse");
    await ada.getByRole("button", { name: "Fit to content" }).click();
    await expect.poll(() => visible(ada, far), WAIT).toBe(true);
    expect(await visible(ada, near)).toBe(true);
    expect((await view(ada)).scale).toBeLessThan(1);
  });

  it("zooms with Ctrl+wheel around the pointer, and with + − 0", async () => {
    await ada.getByRole("button", { name: /reset to 100%/ }).click();
    await expect.poll(async () => (await view(ada)).scale, WAIT).toBe(1);
    const near = (await drawn(ada)).find((s) => s.kind === "ellipse")!.id;
    const at = await center(ada, near);
    await ada.mouse.move(at.x, at.y);
    await ada.keyboard.down("Control");
    await ada.mouse.wheel(0, -139); // e^(139/200) ≈ 2×
    await ada.keyboard.up("Control");
    await expect.poll(async () => (await view(ada)).scale, WAIT).toBeGreaterThan(1.9);
    // The shape under the pointer stays under it, twice the size.
    const after = await center(ada, near);
    expect(Math.abs(after.x - at.x)).toBeLessThan(2);
    expect(Math.abs(after.y - at.y)).toBeLessThan(2);

    await ada.keyboard.press("0");
    await expect.poll(() => ada.getByTestId("zoom-level").textContent(), WAIT).toBe("100%");
    await ada.keyboard.press("+");
    await expect.poll(() => ada.getByTestId("zoom-level").textContent(), WAIT).toBe("125%");
    await ada.keyboard.press("-");
    await expect.poll(() => ada.getByTestId("zoom-level").textContent(), WAIT).toBe("100%");
  });

  it("pinch-zooms with two fingers, and a drag at any zoom moves the shape in board units for the other", async () => {
    await pinch(ada, { x: 300, y: 500 }, 100, 200);
    await expect.poll(async () => (await view(ada)).scale, WAIT).toBeCloseTo(2, 2);
    const near = (await drawn(ada)).find((s) => s.kind === "ellipse")!.id;
    await ada.getByRole("button", { name: "Fit to content" }).click();
    await ada.keyboard.press("0");
    await ada.keyboard.press("+");
    await ada.keyboard.press("+");
    await expect.poll(() => ada.getByTestId("zoom-level").textContent(), WAIT).toBe("156%");
    const before = (await drawn(bob))
      .find((s) => s.id === near)!
      .box.split(",")
      .map(Number);
    const from = await center(ada, near);
    await ada.mouse.move(from.x, from.y);
    await ada.mouse.down();
    await ada.mouse.move(from.x + 78, from.y - 39, { steps: 4 });
    await ada.mouse.up();
    await expect
      .poll(
        async () =>
          (await drawn(bob))
            .find((s) => s.id === near)!
            .box.split(",")
            .slice(4, 6)
            .map(Number),
        WAIT,
      )
      .toEqual([before[4]! + 50, before[5]! - 25]);
  });
});
