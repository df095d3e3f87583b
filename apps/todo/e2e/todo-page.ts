import type { BrowserContextOptions, Page } from "playwright-core";
import type { TestBrowser } from "../../e2e-kit/chromium.js";

/** How long an e2e step waits for its condition. */
export const WAIT = { timeout: 15_000 };

/** Opens the app in a new browser context (another user's browser) and signs in as `name`. */
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

/** The row of the todo whose text contains `text`. */
export const todoRow = (page: Page, text: string) => page.getByTestId("todo").filter({ hasText: text });

/** Waits until the sync indicator shows `state` (online, offline, syncing, connecting). */
export const syncState = (page: Page, state: string) =>
  page.locator(`[data-testid="sync"][data-state="${state}"]`).waitFor(WAIT);

/** Types a new todo and submits it with Enter. */
export async function addTodo(page: Page, text: string): Promise<void> {
  await page.getByLabel("New todo").fill(text);
  await page.getByLabel("New todo").press("Enter");
}

/** The todos' texts, in the order shown. */
export const todoTexts = (page: Page) => page.getByTestId("todo").locator(".text").allTextContents();

/** Creates a list from the sidebar form; the app opens it. */
export async function createList(page: Page, name: string): Promise<void> {
  await page.getByLabel("New list name").fill(name);
  await page.getByLabel("New list name").press("Enter");
  await page.getByRole("heading", { name, exact: true }).waitFor(WAIT);
}

/** Whether anything sticks out of the viewport sideways (the page would scroll horizontally). */
export const overflowsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
