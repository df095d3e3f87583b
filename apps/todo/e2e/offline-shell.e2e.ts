import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTodoServer, type RunningTodoServer } from "../server/start-server.js";
import { launchChromium, PHONE, type TestBrowser } from "../../e2e-kit/chromium.js";
import { waitForOfflineShell } from "../../e2e-kit/offline-shell.js";
import { addTodo, createList, signIn, syncState, todoRow, todoTexts, WAIT } from "./todo-page.js";

let dir: string;
let server: RunningTodoServer;
let browser: TestBrowser;

const start = (port = 0) => startTodoServer({ port, dbFile: join(dir, "todo.sqlite"), hmr: false });

describe("todo app offline shell in Chromium, two users (one on a phone)", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "todo-offline-e2e-"));
    server = await start();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("opens on a reload with no network after a first visit, takes edits, converges when back", async () => {
    const ada: Page = await signIn(browser, server.url, "Ada");
    const bob: Page = await signIn(browser, server.url, "Bob", PHONE);
    await createList(ada, "Camping");
    await addTodo(ada, "Tent");
    await bob.getByRole("button", { name: "Camping", exact: true }).tap();
    await todoRow(bob, "Tent").waitFor(WAIT);
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
      await page.getByRole("heading", { name: "Camping", exact: true }).waitFor(WAIT);
      await todoRow(page, "Tent").waitFor(WAIT); // the data is local (IndexedDB)
    }
    await addTodo(ada, "Stove");
    await addTodo(bob, "Lantern");
    await todoRow(ada, "Stove").waitFor(WAIT);

    server = await start(port);
    for (const page of [ada, bob]) await page.context().setOffline(false);
    for (const page of [ada, bob]) {
      await syncState(page, "online");
      for (const text of ["Tent", "Stove", "Lantern"]) await todoRow(page, text).waitFor(WAIT);
    }
    expect(await todoTexts(ada)).toEqual(await todoTexts(bob));
  });
});
