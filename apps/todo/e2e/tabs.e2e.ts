import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTodoServer, type RunningTodoServer } from "../server/start-server.js";
import { launchChromium, type TestBrowser } from "../../e2e-kit/chromium.js";

const WAIT = { timeout: 15_000 };

let dir: string;
let server: RunningTodoServer;
let browser: TestBrowser;

async function signIn(context: BrowserContext, name: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByLabel("Your name").fill(name);
  await page.getByRole("button", { name: /Continue/ }).click();
  await syncState(page, "online");
  return page;
}

const todo = (page: Page, text: string) => page.getByTestId("todo").filter({ hasText: text });
const texts = (page: Page) => page.getByTestId("todo").locator(".text").allTextContents();
const syncState = (page: Page, state: string) =>
  page.locator(`[data-testid="sync"][data-state="${state}"]`).waitFor(WAIT);

async function addTodo(page: Page, text: string): Promise<void> {
  await page.getByLabel("New todo").fill(text);
  await page.getByLabel("New todo").press("Enter");
}

describe("todo app in Chromium, tabs of one browser", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "todo-tabs-e2e-"));
    server = await startTodoServer({ port: 0, dbFile: join(dir, "todo.sqlite"), hmr: false });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("pushes, exactly once, the edits of a tab closed while offline", async () => {
    const ada = await browser.newContext();
    const first = await signIn(ada, "Ada");
    await first.getByLabel("New list name").fill("Tabs");
    await first.getByLabel("New list name").press("Enter");
    await addTodo(first, "Seed");
    const second = await ada.newPage();
    await second.goto(first.url());
    await todo(second, "Seed").waitFor(WAIT);

    const bob = await signIn(await browser.newContext(), "Bob");
    await bob.getByRole("button", { name: "Tabs", exact: true }).click(WAIT);
    await todo(bob, "Seed").waitFor(WAIT);

    try {
      await ada.setOffline(true);
      await syncState(second, "offline");
      await addTodo(second, "From the closed tab");
      await addTodo(second, "Also from it");
      // The other tab shows them at once, with no server.
      await todo(first, "Also from it").waitFor(WAIT);
      // The tab goes away before it could push.
      await second.close();
      expect(await texts(first)).toEqual(["Seed", "From the closed tab", "Also from it"]);
    } finally {
      await ada.setOffline(false);
    }
    await first.evaluate(() => window.dispatchEvent(new Event("online")));

    // The surviving tab adopted the closed tab's queue and pushed it.
    await todo(bob, "Also from it").waitFor(WAIT);
    expect(await texts(bob)).toEqual(["Seed", "From the closed tab", "Also from it"]);
    await first.locator('[data-testid="sync"][data-pending="0"]').waitFor(WAIT);

    // A reload finds nothing left to push, and nothing is applied twice.
    await first.reload();
    await todo(first, "Also from it").waitFor(WAIT);
    await syncState(first, "online");
    expect(await texts(first)).toEqual(["Seed", "From the closed tab", "Also from it"]);
    expect(await texts(bob)).toEqual(["Seed", "From the closed tab", "Also from it"]);
  });
});
