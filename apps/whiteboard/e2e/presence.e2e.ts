import { mkdtempSync, rmSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWhiteboardServer, type RunningWhiteboardServer } from "../server/start-server.js";
import { launchChromium, type TestBrowser } from "../../e2e-kit/chromium.js";
import { screenshotDir } from "../../e2e-kit/screenshot-dir.js";
import { converged, create, syncState, WAIT, signInRecorded, type BoardUser } from "./board-page.js";

let dir: string;
let server: RunningWhiteboardServer;
let browser: TestBrowser;
let ada: BoardUser;
let bob: BoardUser;

const signIn = (name: string) => signInRecorded(browser, server.url, name);

/** Moves `user`'s mouse to (x, y) of the canvas. */
async function pointAt(user: BoardUser, x: number, y: number): Promise<void> {
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

  it("shows a note's text to the others while it is typed, before it is saved", async () => {
    const note = await create(ada.page, "Sticky note");
    await converged(ada.page, bob.page);
    await ada.page.locator(`[data-id="${note}"]`).dblclick();
    const pushesBefore = ada.frames.sent.filter((f) => f.includes('"type":"push"')).length;
    await ada.page.getByLabel("Note text").fill("Agenda: budget");
    const draft = bob.page.locator(`[data-testid=remote-draft][data-note="${note}"]`);
    await expect.poll(() => draft.textContent(), WAIT).toBe("Agenda: budget");
    const marker = bob.page.locator(`[data-testid=remote-editing][data-note="${note}"]`);
    expect(await marker.textContent()).toBe("ada typing…");
    // Typed, not saved: presence only; the note's own text is unchanged for bob and the server.
    expect(ada.frames.sent.filter((f) => f.includes('"type":"push"')).length).toBe(pushesBefore);
    expect(await bob.page.locator(`[data-id="${note}"]`).textContent()).toBe("Note");

    await ada.page.getByLabel("Note text").press("Enter");
    await draft.waitFor({ ...WAIT, state: "detached" });
    await expect
      .poll(() => bob.page.locator(`[data-id="${note}"]`).textContent(), WAIT)
      .toBe("Agenda: budget");
  });

  it("scrolls a note's long text instead of cutting it off, for both users", async () => {
    const note = await create(bob.page, "Sticky note");
    await bob.page.locator(`[data-id="${note}"]`).dblclick();
    const long = Array.from({ length: 14 }, (_, i) => `item ${i + 1}`).join("\n");
    await bob.page.getByLabel("Note text").fill(long);
    await bob.page.getByLabel("Note text").press("Enter");
    const text = ada.page.locator(`[data-id="${note}"] [data-testid=sticky-text]`);
    await expect.poll(() => text.textContent(), WAIT).toBe(long);
    const overflow = () =>
      text.evaluate((el) => ({ scrolls: el.scrollHeight > el.clientHeight, top: el.scrollTop }));
    expect(await overflow()).toEqual({ scrolls: true, top: 0 });
    // The wheel over the note scrolls its text, not the board.
    const viewBefore = await ada.page.getByTestId("canvas").getAttribute("data-view");
    const box = (await text.boundingBox())!;
    await ada.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await ada.page.mouse.wheel(0, 200);
    await expect.poll(async () => (await overflow()).top, WAIT).toBeGreaterThan(0);
    expect(await ada.page.getByTestId("canvas").getAttribute("data-view")).toBe(viewBefore);
  });

  it("saves a screenshot with two users active", async () => {
    // Everything it shows it sets up itself: it runs alone as well (`-t screenshot`).
    await create(bob.page, "Ellipse");
    // Made last, so the note is drawn on top of any shape placed where it lands.
    const note = await create(ada.page, "Sticky note");
    await converged(ada.page, bob.page);
    await bob.page.bringToFront();
    await bob.page.locator(`[data-id="${note}"]`).dblclick();
    await bob.page.getByLabel("Note text").fill("Plan for Friday: demo");
    await pointAt(bob, 620, 260);
    await ada.page.bringToFront();
    await pointAt(ada, 420, 420);
    await cursorOf(ada.page, "bob").waitFor(WAIT);
    await cursorOf(bob.page, "ada").waitFor(WAIT);
    await ada.page.locator(`[data-testid=remote-draft][data-note="${note}"]`).waitFor(WAIT);
    await mkdir(screenshotDir, { recursive: true });
    await browser.screenshotSideBySide(
      [
        { page: ada.page, caption: "ada, with bob's cursor and the note he is typing" },
        { page: bob.page, caption: "bob, editing a note, with ada's cursor" },
      ],
      join(screenshotDir, "whiteboard.png"),
    );
    await bob.page.getByLabel("Note text").press("Escape");
  });
});
