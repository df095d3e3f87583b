import { mkdtempSync, rmSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOO_LONG_MESSAGE } from "../server/server-definition.js";
import { startTodoServer, type RunningTodoServer } from "../server/start-server.js";
import { expectNoSeriousA11yViolations, findA11yViolations } from "../../e2e-kit/axe.js";
import { launchChromium, PHONE, type TestBrowser } from "../../e2e-kit/chromium.js";
import { screenshotDir } from "../../e2e-kit/screenshot-dir.js";
import { addTodo, createList, overflowsSideways, signIn, todoRow, todoTexts, WAIT } from "./todo-page.js";

let dir: string;
let server: RunningTodoServer;
let browser: TestBrowser;
let ada: Page;
let bob: Page;

/** Whether the element lies fully inside the phone's viewport. */
async function onScreen(page: Page, locator: ReturnType<Page["locator"]>): Promise<boolean> {
  const box = await locator.boundingBox();
  const width = page.viewportSize()?.width ?? 0;
  return box !== null && box.x >= 0 && box.x + box.width <= width;
}

describe("todo app on phones (390×844, touch), two users", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "todo-phone-e2e-"));
    server = await startTodoServer({ port: 0, dbFile: join(dir, "todo.sqlite"), hmr: false });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("has a sign-in screen without serious accessibility violations", async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByLabel("Your name").waitFor(WAIT);
    await expectNoSeriousA11yViolations(page);
    // The check can fail: a button without a name is found.
    await page.evaluate(() => document.body.append(document.createElement("button")));
    expect((await findA11yViolations(page)).map((v) => v.id)).toContain("button-name");
    await context.close();
  });

  it("fits the phone and works by touch for both users", async () => {
    ada = await signIn(browser, server.url, "Ada", PHONE);
    bob = await signIn(browser, server.url, "Bob", PHONE);
    await createList(ada, "Picnic");
    const long = "Buy oat milk, sourdough bread and strawberries for the picnic";
    await addTodo(ada, long);
    await todoRow(ada, long).waitFor(WAIT);

    for (const page of [ada, bob]) expect(await overflowsSideways(page)).toBe(false);
    expect(await onScreen(ada, ada.getByRole("button", { name: "Switch user" }))).toBe(true);
    expect(await onScreen(ada, ada.getByRole("button", { name: `Delete “${long}”` }))).toBe(true);
    // The text keeps most of the row instead of being squeezed by the buttons.
    const text = await todoRow(ada, long).locator(".text").boundingBox();
    expect(text!.width).toBeGreaterThan(250);

    await bob.getByRole("button", { name: "Picnic", exact: true }).tap();
    await todoRow(bob, long).waitFor(WAIT);
    await bob.getByLabel(`Done: ${long}`).tap();
    await ada.locator(`[aria-label="Done: ${long}"]:checked`).waitFor(WAIT);
    await addTodo(bob, "Blanket");
    await todoRow(ada, "Blanket").waitFor(WAIT);
    await bob.getByRole("button", { name: "Delete “Blanket”" }).tap();
    await todoRow(ada, "Blanket").waitFor({ state: "detached", ...WAIT });
  });

  it("shows the server's limit before submit, keeps refused text, and says why in words", async () => {
    const tooLong = `Pack ${"plates, cups and napkins ".repeat(5)}`.trim();
    expect(tooLong.length).toBeGreaterThan(120);
    await bob.getByLabel("New todo").fill(tooLong);
    const limit = bob.getByTestId("text-limit");
    await expect
      .poll(() => limit.textContent(), WAIT)
      .toBe(`${tooLong.length}/120 · the server accepts at most 120 characters`);
    await bob.getByRole("button", { name: "Add todo" }).tap();

    const toast = bob.getByTestId("rejection");
    await toast.waitFor(WAIT);
    expect(await toast.textContent()).toContain(`Your todo wasn't added. ${TOO_LONG_MESSAGE}`);
    expect(await toast.textContent()).not.toContain("addTodo");
    await expect.poll(() => bob.getByLabel("New todo").inputValue(), WAIT).toBe(tooLong);
    expect(await todoRow(ada, "Pack plates").count()).toBe(0);
    await toast.getByRole("button", { name: /Dismiss/ }).tap();

    // An edit the server refuses opens again with the refused text.
    const milk = (await todoTexts(bob))[0]!;
    await bob.getByRole("button", { name: `Edit “${milk}”` }).tap();
    await bob.getByLabel("Edit todo").fill(`${milk} ${"and more ".repeat(8)}`.trim());
    await bob.getByLabel("Edit todo").press("Enter");
    await toast.waitFor(WAIT);
    expect(await toast.textContent()).toContain("Your edit wasn't saved.");
    await expect.poll(() => bob.getByLabel("Edit todo").inputValue(), WAIT).toContain("and more");
    await bob.getByLabel("Edit todo").press("Escape");
    await toast.getByRole("button", { name: /Dismiss/ }).tap();
    await bob.getByLabel("New todo").fill("");
  });

  it("names controls after what they act on, edits by keyboard, returns focus, passes axe", async () => {
    await addTodo(ada, "Sunscreen");
    await todoRow(bob, "Sunscreen").waitFor(WAIT);
    expect(await ada.getByRole("status").filter({ hasText: "Online" }).count()).toBe(1);

    await ada.getByRole("button", { name: "Edit “Sunscreen”" }).focus();
    await ada.keyboard.press("Enter");
    await ada.keyboard.press("End");
    await ada.keyboard.type(" SPF 50");
    await ada.keyboard.press("Enter");
    await todoRow(bob, "Sunscreen SPF 50").waitFor(WAIT);
    const focused = () => ada.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? "");
    await expect.poll(focused, WAIT).toBe("Edit “Sunscreen SPF 50”");

    // Deleting by keyboard moves focus to a neighbour instead of dropping it on the page.
    await ada.getByRole("button", { name: "Delete “Sunscreen SPF 50”" }).focus();
    await ada.keyboard.press("Enter");
    await todoRow(bob, "Sunscreen").waitFor({ state: "detached", ...WAIT });
    await expect.poll(focused, WAIT).toMatch(/^Edit “/);

    await expectNoSeriousA11yViolations(ada);
    await expectNoSeriousA11yViolations(bob);
  });

  it("saves a phone screenshot of two users", async () => {
    await mkdir(screenshotDir, { recursive: true });
    await browser.screenshotSideBySide(
      [
        { page: ada, caption: "ada on a phone" },
        { page: bob, caption: "bob on a phone" },
      ],
      join(screenshotDir, "todo-phone.png"),
    );
  });
});
