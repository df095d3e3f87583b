import { mkdtempSync, rmSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWhiteboardServer, type RunningWhiteboardServer } from "../server/start-server.js";
import { launchChromium, type TestBrowser } from "../../e2e-kit/chromium.js";
import { recordSyncFrames, type FrameRecorder } from "../../e2e-kit/frame-recorder.js";
import { screenshotDir } from "../../e2e-kit/screenshot-dir.js";
import { converged, create, syncState, WAIT } from "./board-page.js";

/** One user: their own browser context (storage, IndexedDB) and a page on the board. */
interface User {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly frames: FrameRecorder;
}

let dir: string;
let server: RunningWhiteboardServer;
let browser: TestBrowser;
let ada: User;
let bob: User;

async function signIn(name: string): Promise<User> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const frames = recordSyncFrames(page);
  await page.goto(server.url);
  await page.getByLabel("Your name").fill(name);
  await page.getByRole("button", { name: /Continue/ }).click();
  await syncState(page, "online");
  return { context, page, frames };
}

/** Moves `user`'s mouse to (x, y) of the canvas. */
async function pointAt(user: User, x: number, y: number): Promise<void> {
  const canvas = await user.page.getByTestId("canvas").boundingBox();
  await user.page.mouse.move(canvas!.x + x, canvas!.y + y, { steps: 3 });
}

const cursorOf = (page: Page, user: string) =>
  page.locator(`[data-testid=remote-cursor][data-user="${user}"]`);
const avatars = (page: Page) => page.getByTestId("presence").textContent();

describe("whiteboard presence in Chromium: cursors, avatars, who edits which note", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "whiteboard-presence-e2e-"));
    server = await startWhiteboardServer({ port: 0, dbFile: join(dir, "whiteboard.sqlite"), hmr: false });
    browser = await launchChromium();
    ada = await signIn("Ada");
    bob = await signIn("Bob");
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows each user's live cursor and avatar to the other, as presence, never as data", async () => {
    const pushesBefore = bob.frames.sent.filter((f) => f.includes('"type":"push"')).length;
    await pointAt(bob, 500, 300);
    await expect
      .poll(() => cursorOf(ada.page, "bob").getAttribute("transform"), WAIT)
      .toBe("translate(500 300)");
    await pointAt(bob, 520, 310);
    await expect
      .poll(() => cursorOf(ada.page, "bob").getAttribute("transform"), WAIT)
      .toBe("translate(520 310)");
    await expect.poll(() => avatars(ada.page), WAIT).toContain("bob");
    await expect.poll(() => avatars(bob.page), WAIT).toContain("ada");
    // Cursor moves went out as presence frames: no mutation, no stored key, no version.
    expect(bob.frames.sent.some((f) => f.startsWith('{"type":"presence"'))).toBe(true);
    expect(bob.frames.sent.filter((f) => f.includes('"type":"push"')).length).toBe(pushesBefore);
    expect(ada.frames.received.join("\n")).not.toContain('"key":"presence/');
    // Nobody sees their own cursor drawn as someone else's.
    expect(await cursorOf(bob.page, "bob").count()).toBe(0);
  });

  it("removes a user's cursor and avatar for everyone when they leave", async () => {
    const cy = await signIn("Cy");
    await pointAt(cy, 300, 200);
    await cursorOf(ada.page, "cy").waitFor(WAIT);
    await expect.poll(() => avatars(bob.page), WAIT).toContain("cy");
    await cy.context.close();
    await cursorOf(ada.page, "cy").waitFor({ ...WAIT, state: "detached" });
    await expect.poll(() => avatars(ada.page), WAIT).not.toContain("cy");
    await expect.poll(() => avatars(bob.page), WAIT).not.toContain("cy");
  });

  it("while a user is offline: the others lose their cursor, they see nobody frozen, and it comes back online", async () => {
    await pointAt(ada, 200, 150);
    await pointAt(bob, 400, 250);
    await cursorOf(bob.page, "ada").waitFor(WAIT);
    await cursorOf(ada.page, "bob").waitFor(WAIT);
    await bob.context.setOffline(true);
    try {
      await syncState(bob.page, "offline");
      // Bob's board shows nobody rather than ada frozen where she was.
      expect(await cursorOf(bob.page, "ada").count()).toBe(0);
      expect(await avatars(bob.page)).not.toContain("ada");
      await cursorOf(ada.page, "bob").waitFor({ ...WAIT, state: "detached" });
      await expect.poll(() => avatars(ada.page), WAIT).not.toContain("bob");
    } finally {
      await bob.context.setOffline(false);
    }
    await syncState(bob.page, "online");
    // Back online, bob's presence is sent again (his cursor where he left it) and he sees ada.
    await expect
      .poll(() => cursorOf(ada.page, "bob").getAttribute("transform"), WAIT)
      .toBe("translate(400 250)");
    await cursorOf(bob.page, "ada").waitFor(WAIT);
  });

  it("shows who is editing which sticky note", async () => {
    const note = await create(ada.page, "Sticky note");
    await converged(ada.page, bob.page);
    await ada.page.locator(`[data-id="${note}"]`).dblclick();
    await ada.page.getByLabel("Note text").waitFor(WAIT);
    const marker = bob.page.locator(`[data-testid=remote-editing][data-note="${note}"]`);
    await expect.poll(() => marker.getAttribute("data-users"), WAIT).toBe("ada");
    expect(await marker.textContent()).toBe("ada editing");
    expect(await ada.page.locator("[data-testid=remote-editing]").count()).toBe(0);
    await ada.page.getByLabel("Note text").press("Escape");
    await marker.waitFor({ ...WAIT, state: "detached" });
  });

  it("saves a screenshot with two users active", async () => {
    // Everything it shows it sets up itself: it runs alone as well (`-t screenshot`).
    const note = await create(ada.page, "Sticky note");
    await create(bob.page, "Ellipse");
    await converged(ada.page, bob.page);
    await bob.page.bringToFront();
    await bob.page.locator(`[data-id="${note}"]`).dblclick();
    await bob.page.getByLabel("Note text").waitFor(WAIT);
    await pointAt(bob, 620, 260);
    await ada.page.bringToFront();
    await pointAt(ada, 420, 420);
    await cursorOf(ada.page, "bob").waitFor(WAIT);
    await cursorOf(bob.page, "ada").waitFor(WAIT);
    await ada.page.locator(`[data-testid=remote-editing][data-note="${note}"]`).waitFor(WAIT);
    await mkdir(screenshotDir, { recursive: true });
    await browser.screenshotSideBySide(
      [
        { page: ada.page, caption: "ada, with bob's cursor and the note he is editing" },
        { page: bob.page, caption: "bob, editing a note, with ada's cursor" },
      ],
      join(screenshotDir, "whiteboard.png"),
    );
    await bob.page.getByLabel("Note text").press("Escape");
  });
});
