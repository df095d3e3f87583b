import { mkdtempSync, rmSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOO_LONG_MESSAGE } from "../server/server-definition.js";
import { startTodoServer, type RunningTodoServer } from "../server/start-server.js";
import { expectNoSeriousA11yViolations } from "../../e2e-kit/axe.js";
import { launchChromium, type TestBrowser } from "../../e2e-kit/chromium.js";
import { recordSyncFrames, type FrameRecorder } from "../../e2e-kit/frame-recorder.js";
import { screenshotDir } from "../../e2e-kit/screenshot-dir.js";

/** One user: their own browser context (storage, IndexedDB) and a page on the app. */
interface User {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly frames: FrameRecorder;
}

const WAIT = { timeout: 15_000 };

let dir: string;
let server: RunningTodoServer;
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

const todo = (page: Page, text: string) => page.getByTestId("todo").filter({ hasText: text });
const syncState = (page: Page, state: string) =>
  page.locator(`[data-testid="sync"][data-state="${state}"]`).waitFor(WAIT);

async function addTodo(page: Page, text: string): Promise<void> {
  await page.getByLabel("New todo").fill(text);
  await page.getByLabel("New todo").press("Enter");
}

async function texts(page: Page): Promise<string[]> {
  return page.getByTestId("todo").locator(".text").allTextContents();
}

describe("todo app in Chromium, two users", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "todo-e2e-"));
    server = await startTodoServer({ port: 0, dbFile: join(dir, "todo.sqlite"), hmr: false });
    browser = await launchChromium();
    ada = await signIn("Ada");
    bob = await signIn("Bob");
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows one user's edits to the other: add, toggle, edit, reorder", async () => {
    await ada.page.getByLabel("New list name").fill("Groceries");
    await ada.page.getByLabel("New list name").press("Enter");
    await addTodo(ada.page, "Milk");
    await addTodo(ada.page, "Bread");

    await bob.page.getByRole("button", { name: "Groceries", exact: true }).click(WAIT);
    await todo(bob.page, "Bread").waitFor(WAIT);
    expect(await texts(bob.page)).toEqual(["Milk", "Bread"]);

    await bob.page.getByLabel("Done: Milk").check();
    await ada.page.locator('[aria-label="Done: Milk"]:checked').waitFor(WAIT);

    await bob.page.getByRole("button", { name: "Move “Bread” up" }).click();
    await ada.page.waitForFunction(
      () =>
        [...document.querySelectorAll("[data-testid=todo] .text")].map((e) => e.textContent).join() ===
        "Bread,Milk",
      undefined,
      WAIT,
    );

    await todo(ada.page, "Bread").locator(".text").dblclick();
    await ada.page.getByLabel("Edit todo").fill("Sourdough bread");
    await ada.page.getByLabel("Edit todo").press("Enter");
    await todo(bob.page, "Sourdough bread").waitFor(WAIT);
    expect(await texts(bob.page)).toEqual(["Sourdough bread", "Milk"]);

    await todo(ada.page, "Milk").locator(".text").dblclick(); // Escape cancels an edit
    await ada.page.getByLabel("Edit todo").fill("Oat milk");
    await ada.page.getByLabel("Edit todo").press("Escape");
    expect(await texts(ada.page)).toEqual(["Sourdough bread", "Milk"]);

    await ada.page.getByRole("heading", { name: "Groceries" }).dblclick();
    await ada.page.getByLabel("List name", { exact: true }).fill("Weekend groceries");
    await ada.page.getByLabel("List name", { exact: true }).press("Enter");
    await bob.page.getByRole("heading", { name: "Weekend groceries" }).waitFor(WAIT);
  });

  it("keeps each user's filter private and server-only data on the server", async () => {
    await ada.page.getByRole("tab", { name: "Done" }).click();
    await todo(ada.page, "Sourdough bread").waitFor({ state: "detached", ...WAIT });
    expect(await texts(ada.page)).toEqual(["Milk"]);
    // Bob's view is his own: still every todo.
    expect(await texts(bob.page)).toEqual(["Sourdough bread", "Milk"]);

    // "Clear completed" is a server action; its count lives under $$so/ and only an action shows it.
    await ada.page.getByRole("button", { name: "Clear completed" }).click();
    await expect.poll(() => ada.page.getByTestId("clear-result").textContent(), WAIT).toMatch(/Cleared 1/);
    await todo(bob.page, "Milk").waitFor({ state: "detached", ...WAIT });
    await bob.page.getByText("Server activity").click();
    await expect
      .poll(() => bob.page.getByTestId("activity").textContent(), WAIT)
      .toMatch(/2 added · 1 cleared/);
    await ada.page.getByRole("tab", { name: "All" }).click();

    const adaFrames = ada.frames.received.join("\n");
    const bobFrames = bob.frames.received.join("\n");
    expect(adaFrames).toContain("$$pu/ada/filter"); // ada receives her own private key…
    expect(bobFrames).not.toContain("$$pu/ada/"); // …bob never does,
    expect(bobFrames + adaFrames).not.toContain("$$so/"); // and nobody receives server-only keys.
    expect(bobFrames).toContain("Sourdough bread"); // (bob did receive the shared data)
  });

  it("shows the server's reason when it rejects an edit, and rolls the edit back", async () => {
    const long = `Remember: ${"a very long todo ".repeat(10)}`.trim();
    expect(long.length).toBeGreaterThan(120);
    await addTodo(ada.page, long);
    const toast = ada.page.getByTestId("rejection");
    await toast.waitFor(WAIT);
    expect(await toast.textContent()).toContain(TOO_LONG_MESSAGE);
    await todo(ada.page, "Remember:").waitFor({ state: "detached", ...WAIT });
    expect(await todo(bob.page, "Remember:").count()).toBe(0);
    await toast.getByRole("button", { name: /Dismiss/ }).click();
  });

  it("lets both users edit while one is offline, then converges", async () => {
    await ada.context.setOffline(true);
    await syncState(ada.page, "offline");
    await addTodo(ada.page, "Eggs");
    await todo(ada.page, "Eggs").waitFor(WAIT);
    expect(Number(await ada.page.getByTestId("sync").getAttribute("data-pending"))).toBeGreaterThan(0);
    await addTodo(bob.page, "Jam");
    await todo(bob.page, "Sourdough bread").getByRole("checkbox").check();
    await ada.page.getByRole("button", { name: "Delete “Sourdough bread”" }).click();

    await ada.context.setOffline(false);
    await syncState(ada.page, "online");
    for (const user of [ada, bob]) {
      await todo(user.page, "Jam").waitFor(WAIT);
      await todo(user.page, "Eggs").waitFor(WAIT);
      await todo(user.page, "Sourdough bread").waitFor({ state: "detached", ...WAIT });
    }
    expect(await texts(ada.page)).toEqual(await texts(bob.page));
  });

  it("keeps data and pending edits across a reload, and pushes them afterwards", async () => {
    // The sync endpoint becomes unreachable (the page itself still loads): edits stay pending.
    // Playwright routes the WebSockets of documents loaded after this call, hence the reload.
    let reachable = false;
    await ada.page.routeWebSocket(/\/sync$/, (ws) => (reachable ? ws.connectToServer() : ws.close()));
    await ada.page.reload();
    await syncState(ada.page, "offline");
    await addTodo(ada.page, "Tea");
    await todo(ada.page, "Tea").waitFor(WAIT);

    await ada.page.reload();
    await todo(ada.page, "Tea").waitFor(WAIT);
    await todo(ada.page, "Jam").waitFor(WAIT);
    await ada.page.locator('[data-testid="sync"][data-pending="1"]').waitFor(WAIT);
    expect(await todo(bob.page, "Tea").count()).toBe(0);

    reachable = true;
    await ada.page.evaluate(() => window.dispatchEvent(new Event("online")));
    await todo(bob.page, "Tea").waitFor(WAIT);
    await ada.page.locator('[data-testid="sync"][data-pending="0"]').waitFor(WAIT);
  });

  it("keeps two tabs of one user in step while offline", async () => {
    const second = await ada.context.newPage();
    await second.goto(ada.page.url());
    await todo(second, "Tea").waitFor(WAIT);
    try {
      await ada.context.setOffline(true);
      await syncState(second, "offline");

      await addTodo(ada.page, "Butter");
      await todo(second, "Butter").waitFor(WAIT);
      await todo(second, "Jam").getByRole("checkbox").check();
      await ada.page.locator('[aria-label="Done: Jam"]:checked').waitFor(WAIT);
    } finally {
      await ada.context.setOffline(false);
    }
    await todo(bob.page, "Butter").waitFor(WAIT);
    await bob.page.locator('[aria-label="Done: Jam"]:checked').waitFor(WAIT);
    await second.close();
  });

  it("syncs over HTTP when WebSockets cannot connect", async () => {
    const context = await browser.newContext();
    // Every WebSocket of this browser fails, as behind a proxy that does not pass them.
    await context.routeWebSocket(/\/sync$/, (ws) => ws.close());
    const page = await context.newPage();
    const httpSyncRequests: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/sync/")) httpSyncRequests.push(request.url());
    });
    await page.goto(ada.page.url());
    await page.getByLabel("Your name").fill("Dee");
    await page.getByRole("button", { name: /Continue/ }).click();
    await todo(page, "Butter").waitFor(WAIT);
    await addTodo(page, "Sent over HTTP");
    await todo(bob.page, "Sent over HTTP").waitFor(WAIT);
    await addTodo(bob.page, "Pulled over HTTP");
    await todo(page, "Pulled over HTTP").waitFor(WAIT);
    expect(httpSyncRequests.length).toBeGreaterThan(0);
    await context.close();
  });

  it("saves a screenshot with two users active", async () => {
    await addTodo(bob.page, "Plan the picnic");
    await todo(ada.page, "Plan the picnic").waitFor(WAIT);
    await ada.page.locator('[data-testid="sync"][data-state="online"]').waitFor(WAIT);
    await bob.page.getByRole("radio", { name: "teal" }).click(); // bob's accent: private, ada keeps hers
    await bob.page.getByRole("tab", { name: "Active" }).click();
    await bob.page.getByRole("button", { name: "Refresh" }).click(); // the server-only audit trail
    await expect
      .poll(() => bob.page.getByTestId("activity").textContent(), WAIT)
      .toContain("Plan the picnic");
    await expectNoSeriousA11yViolations(ada.page);
    await expectNoSeriousA11yViolations(bob.page);
    await mkdir(screenshotDir, { recursive: true });
    await browser.screenshotSideBySide(
      [
        { page: ada.page, caption: "ada" },
        { page: bob.page, caption: "bob: his own accent colour and filter (private)" },
      ],
      join(screenshotDir, "todo.png"),
    );
  });
});
