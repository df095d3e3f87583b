import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWhiteboardServer, type RunningWhiteboardServer } from "../server/start-server.js";
import { launchChromium, PHONE, type TestBrowser } from "../../e2e-kit/chromium.js";
import { waitForOfflineShell } from "../../e2e-kit/offline-shell.js";
import { converged, create, drawn, signIn, syncState, WAIT } from "./board-page.js";

let dir: string;
let server: RunningWhiteboardServer;
let browser: TestBrowser;

const start = (port = 0) =>
  startWhiteboardServer({ port, dbFile: join(dir, "whiteboard.sqlite"), hmr: false });

describe("whiteboard offline shell in Chromium, two users (one on a phone)", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "whiteboard-offline-e2e-"));
    server = await start();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("opens on a reload with no network after a first visit, takes edits, converges when back", async () => {
    const ada = await signIn(browser, server.url, "Ada");
    const bob = await signIn(browser, server.url, "Bob", PHONE);
    const first = await create(ada, "Rectangle");
    await converged(ada, bob);
    await Promise.all([waitForOfflineShell(ada), waitForOfflineShell(bob)]);

    // No network at all: the server is gone (the service worker's own requests fail too) and
    // the browsers are offline.
    const port = Number(new URL(server.url).port);
    await server.close();
    for (const page of [ada, bob]) await page.context().setOffline(true);
    for (const page of [ada, bob]) {
      const response = await page.reload();
      expect(response?.fromServiceWorker()).toBe(true);
      await syncState(page, "offline");
      await expect.poll(async () => (await drawn(page)).map((s) => s.id), WAIT).toContain(first);
    }
    const fromAda = await create(ada, "Ellipse");
    const fromBob = await create(bob, "Sticky note");

    server = await start(port);
    for (const page of [ada, bob]) await page.context().setOffline(false);
    for (const page of [ada, bob]) await syncState(page, "online");
    const shapes = await converged(ada, bob);
    expect(shapes.map((s) => s.id).sort()).toEqual([first, fromAda, fromBob].sort());
  });
});
