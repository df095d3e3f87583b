import { mkdtempSync, rmSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOO_LONG_MESSAGE } from "../server/server-definition.js";
import { startTodoServer, type RunningTodoServer } from "../server/start-server.js";
import { launchChromium, type TestBrowser } from "../../e2e-kit/chromium.js";
import { screenshotDir } from "../../e2e-kit/screenshot-dir.js";

const WAIT = { timeout: 15_000 };

let dir: string;
let server: RunningTodoServer;
let browser: TestBrowser;
let context: BrowserContext;
let page: Page;
let panel: Locator;

const todo = (text: string) => page.getByTestId("todo").filter({ hasText: text });
const syncState = (state: string) =>
  page.locator(`[data-testid="sync"][data-state="${state}"]`).waitFor(WAIT);
const tab = (name: RegExp) => panel.getByRole("tab", { name });

async function addTodo(text: string): Promise<void> {
  await page.getByLabel("New todo").fill(text);
  await page.getByLabel("New todo").press("Enter");
}

async function shot(name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `devtools-${name}.png`) });
}

describe("devtools panel in the todo app (Chromium)", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "todo-devtools-e2e-"));
    server = await startTodoServer({ port: 0, dbFile: join(dir, "todo.sqlite"), hmr: false });
    browser = await launchChromium();
    context = await browser.newContext();
    page = await context.newPage();
    await page.goto(server.url);
    await page.getByLabel("Your name").fill("Ada");
    await page.getByRole("button", { name: /Continue/ }).click();
    await syncState("online");
    await page.getByLabel("New list name").fill("Groceries");
    await page.getByLabel("New list name").press("Enter");
    for (const text of ["Milk", "Bread", "Apples"]) await addTodo(text);
    await todo("Apples").waitFor(WAIT);
    await page.locator('[data-testid="sync"][data-pending="0"]').waitFor(WAIT);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("opens from its toggle on the list's store, and browses keys with base vs. pending", async () => {
    await page.getByRole("button", { name: "SS: open Synced-Store devtools" }).click();
    panel = page.getByRole("region", { name: "Synced-Store devtools" });
    await panel.waitFor(WAIT);
    expect(await panel.getByLabel("Store", { exact: true }).inputValue()).toMatch(/^todo\/(?!lists$)/);
    expect(await panel.getByTestId("ssd-summary").textContent()).toContain("online");

    await panel.getByLabel("Search keys").fill("todos/");
    await expect.poll(() => panel.getByTestId("ssd-key").count(), WAIT).toBe(3);
    await panel.getByTestId("ssd-key").filter({ hasText: "Bread" }).click();
    expect(await panel.getByTestId("ssd-entry-base").textContent()).toContain('"text": "Bread"');
    expect(await panel.getByTestId("ssd-entry-value").textContent()).toContain('"text": "Bread"');
    await shot("data");
  });

  it("shows a mutation pending offline, pushed when back online, then acknowledged", async () => {
    await context.setOffline(true);
    await syncState("offline");
    await addTodo("Bought offline");
    await tab(/Pending/).click();
    const row = panel.getByTestId("ssd-pending-row").filter({ hasText: "Bought offline" });
    await row.waitFor(WAIT);
    expect(await row.textContent()).toContain("addTodo");
    expect(await row.textContent()).toContain("not pushed");
    expect(await row.textContent()).toContain("this tab");
    await shot("pending");

    await context.setOffline(false);
    await syncState("online");
    await row.waitFor({ state: "detached", ...WAIT });
    const acked = panel.getByTestId("ssd-acked-row").filter({ hasText: "Bought offline" });
    await acked.waitFor(WAIT);
    expect(await acked.textContent()).toContain("addTodo");
  });

  it("shows a rejected mutation with the server's reason", async () => {
    const long = `Remember: ${"a very long todo ".repeat(10)}`.trim();
    await addTodo(long);
    await tab(/Rejections/).click();
    const row = panel.getByTestId("ssd-rejection-row").filter({ hasText: "Remember:" });
    await row.waitFor(WAIT);
    expect(await row.textContent()).toContain(TOO_LONG_MESSAGE);
    expect(await row.textContent()).toContain("mutator_failed");
    await shot("rejections");
  });

  it("lists the live queries with their read sets and counts", async () => {
    await tab(/Subscriptions/).click();
    const rows = panel.getByTestId("ssd-subscription-row");
    await rows.first().waitFor(WAIT);
    const texts = await rows.allTextContents();
    expect(texts.some((t) => t.includes('scan "todos/"'))).toBe(true);
    await shot("subscriptions");
  });

  it("logs frames and connection steps, and holds still while paused", async () => {
    await tab(/Network/).click();
    const rows = panel.getByTestId("ssd-network-row");
    await rows.first().waitFor(WAIT);
    const filter = panel.getByLabel("Filter frames");
    const shown = async (text: string) => {
      await filter.fill(text);
      return expect.poll(async () => (await rows.allTextContents()).join("\n"), WAIT);
    };
    await (await shown("push")).toMatch(/↑ push\s*#\d+ addTodo/);
    await (await shown("poke")).toMatch(/↓ poke\s*v\d+\.\.v\d+ \d+ patch/);
    await (await shown("connected")).toMatch(/websocket connected version \d+/);
    // Recorded from the store's start (the app asks for it in development): the first connection.
    await (await shown("connect base")).toMatch(/↑ connect\s*base v0 lmid 0/);
    await filter.fill("");

    await panel.getByRole("button", { name: "Pause" }).click();
    const paused = await panel.getByTestId("ssd-network-count").textContent();
    await addTodo("While paused");
    await todo("While paused").waitFor(WAIT);
    await page.locator('[data-testid="sync"][data-pending="0"]').waitFor(WAIT);
    expect(await panel.getByTestId("ssd-network-count").textContent()).toBe(paused);
    await panel.getByRole("button", { name: "Resume" }).click();
    await expect.poll(() => panel.getByTestId("ssd-network-count").textContent(), WAIT).not.toBe(paused);

    await filter.fill("poke");
    await rows.first().click();
    expect(await panel.getByTestId("ssd-frame").textContent()).toContain('"type": "poke"');
    await shot("network");
  });
});
