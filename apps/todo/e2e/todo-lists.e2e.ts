import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTodoServer, type RunningTodoServer } from "../server/start-server.js";
import { launchChromium, PHONE, type TestBrowser } from "../../e2e-kit/chromium.js";
import { addTodo, createList, signIn, syncState, todoRow, WAIT } from "./todo-page.js";

let dir: string;
let server: RunningTodoServer;
let browser: TestBrowser;
let ada: Page;
let bob: Page;

const heading = (page: Page, name: string) => page.getByRole("heading", { name, exact: true, level: 2 });
const listLinks = (page: Page) => page.getByRole("navigation", { name: "Lists" }).locator(".list-link");

describe("todo lists in Chromium: first run and safe deletion, two users (one on a phone)", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "todo-lists-e2e-"));
    server = await startTodoServer({ port: 0, dbFile: join(dir, "todo.sqlite"), hmr: false });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("opens one first list for new users, labels the private colour, keeps the name as typed", async () => {
    ada = await signIn(browser, server.url, "Ada Lovelace");
    await heading(ada, "My first list").waitFor(WAIT);
    expect(await ada.getByTestId("user").textContent()).toBe("Ada Lovelace");
    expect(await ada.getByRole("radiogroup", { name: /Your colour \(only you see it\)/ }).count()).toBe(1);

    bob = await signIn(browser, server.url, "Bob", PHONE);
    await heading(bob, "My first list").waitFor(WAIT);
    expect(await listLinks(bob).allTextContents()).toEqual(["My first list"]);
    expect(await listLinks(ada).allTextContents()).toEqual(["My first list"]);
  });

  it("reopens the list that was open last", async () => {
    await createList(ada, "Groceries");
    await addTodo(ada, "Milk");
    await ada.goto(server.url); // no list in the URL
    await heading(ada, "Groceries").waitFor(WAIT);
    await todoRow(ada, "Milk").waitFor(WAIT);
  });

  it("deletes a list and its todos for everyone after a confirmation, and sends others out", async () => {
    await bob.getByRole("button", { name: "Groceries", exact: true }).tap();
    await todoRow(bob, "Milk").waitFor(WAIT);
    const groceriesUrl = bob.url();

    // Deleting needs the server: offline, the dialog says so and nothing is deleted.
    await bob.context().setOffline(true);
    await syncState(bob, "offline");
    await bob.getByRole("button", { name: "Delete list “Groceries”" }).tap();
    await bob.getByRole("dialog").getByRole("button", { name: "Delete list" }).tap();
    await bob.getByRole("dialog").getByRole("alert").filter({ hasText: "needs a connection" }).waitFor(WAIT);
    await bob.getByRole("dialog").getByRole("button", { name: "Cancel" }).tap();
    await bob.context().setOffline(false);
    await syncState(bob, "online");

    await ada.getByRole("button", { name: "Delete list “Groceries”" }).click();
    const dialog = ada.getByRole("dialog", { name: "Delete “Groceries”?" });
    expect(await dialog.textContent()).toContain("its 1 todo are deleted for everyone");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached", ...WAIT });
    await heading(ada, "Groceries").waitFor(WAIT);

    await ada.getByRole("button", { name: "Delete list “Groceries”" }).click();
    await dialog.getByRole("button", { name: "Delete list" }).click();
    await ada.getByTestId("notice").filter({ hasText: "You deleted “Groceries”." }).waitFor(WAIT);
    await heading(ada, "My first list").waitFor(WAIT);

    await bob.getByTestId("notice").filter({ hasText: "ada-lovelace deleted “Groceries”" }).waitFor(WAIT);
    await heading(bob, "My first list").waitFor(WAIT);
    await expect.poll(() => listLinks(bob).allTextContents(), WAIT).toEqual(["My first list"]);

    // Coming back through an old link: the data is gone and the user is sent out again.
    const cy = await signIn(browser, server.url, "Cy");
    await cy.goto(groceriesUrl);
    await cy.getByTestId("notice").filter({ hasText: "deleted “Groceries”" }).waitFor(WAIT);
    expect(await todoRow(cy, "Milk").count()).toBe(0);
    await cy.context().close();
  });
});
