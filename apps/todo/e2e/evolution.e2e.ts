import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  connectToServer,
  createStore,
  type AnyStoreDefinition,
  type WebSocketConstructor,
} from "@synced-store/core";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startTodoServer, type RunningTodoServer } from "../server/start-server.js";
import { launchChromium, type TestBrowser } from "../../e2e-kit/chromium.js";
import { todoV2 } from "./todo-v2-definition.js";
import { addTodo, createList, signIn, syncState, todoRow, todoTexts, WAIT } from "./todo-page.js";

// A deploy of version 2 of the todo store (todo-v2-definition.ts: todos gain `priority`,
// `editTodo` becomes `setTodoText`) with clients in the field: Ada offline across it on version 1,
// Bob on version 2, Cy's tab left open on version 1 until the server stops serving it. The app
// server is restarted on the same port and SQLite file for each deploy; version 2 of the page is
// a build-time switch of the app's definition module (`startTodoServer({ definition })`), so a
// page loaded earlier keeps running the version it loaded, as after a real deploy.

let dir: string;
let server: RunningTodoServer;
let browser: TestBrowser;
let port: number;
let ada: Page;
let bob: Page;
let cy: Page;

const browserModule = fileURLToPath(new URL("./todo-v2-definition.ts", import.meta.url));

/** The app on `port` (0: any), serving version 1, or version 2 from `minSupportedVersion` on. */
async function deploy(version: 1 | { minSupportedVersion: 1 | 2 }): Promise<void> {
  await server?.close();
  server = await startTodoServer({
    port,
    dbFile: join(dir, "todo.sqlite"),
    hmr: false,
    ...(version === 1
      ? {}
      : {
          definition: {
            server: todoV2(version.minSupportedVersion) as AnyStoreDefinition,
            browserModule,
          },
        }),
  });
  port = Number(new URL(server.url).port);
}

/** A sync message a page sent: just the fields these tests read. */
interface SentMessage {
  type: string;
  schema_version?: number;
  mutations?: Array<{ name: string }>;
}

/** Records what `page`'s sync WebSockets send from now on. */
function recordSent(page: Page): SentMessage[] {
  const sent: SentMessage[] = [];
  page.on("websocket", (ws) => {
    if (!ws.url().endsWith("/sync")) return;
    ws.on("framesent", (frame) => sent.push(JSON.parse(String(frame.payload)) as SentMessage));
  });
  return sent;
}

const connects = (sent: readonly SentMessage[]) =>
  sent.filter((m) => m.type === "connect").map((m) => m.schema_version);
const pushedNames = (sent: readonly SentMessage[]) =>
  sent.filter((m) => m.type === "push").flatMap((m) => (m.mutations ?? []).map((x) => x.name));

/** Waits until the page's stores hold `count` edits the server has not confirmed. */
const pending = (page: Page, count: number) =>
  page.locator(`[data-testid="sync"][data-pending="${count}"]`).waitFor(WAIT);

/** Edits a todo's text through the UI (version 1 only: its `editTodo`). */
async function editText(page: Page, from: string, to: string): Promise<void> {
  await page.getByRole("button", { name: `Edit “${from}”` }).click();
  await page.getByLabel("Edit todo").fill(to);
  await page.getByLabel("Edit todo").press("Enter");
  await todoRow(page, to).waitFor(WAIT);
}

const isDone = (page: Page, text: string) =>
  page.getByRole("checkbox", { name: `Done: ${text}` }).isChecked();
const updateBanner = (page: Page) => page.getByTestId("update-banner");

/** What the list must show at the end of each phase, everywhere, each todo exactly once. */
async function expectTodos(page: Page, expected: Record<string, boolean>): Promise<void> {
  for (const text of Object.keys(expected)) await todoRow(page, text).waitFor(WAIT);
  const texts = await todoTexts(page);
  expect([...texts].sort()).toEqual(Object.keys(expected).sort());
  for (const [text, done] of Object.entries(expected)) expect(await isDone(page, text)).toBe(done);
}

describe("todo app across a deploy of version 2, clients offline on version 1 (Chromium)", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "todo-evolution-e2e-"));
    port = 0;
    await deploy(1);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let adaSent: SentMessage[];

  it("version 1: three users share a list; Ada goes offline and edits", async () => {
    ada = await signIn(browser, server.url, "Ada");
    await createList(ada, "Trip");
    await addTodo(ada, "Tickets");
    await addTodo(ada, "Passport");
    for (const name of ["Bob", "Cy"]) {
      const page = await signIn(browser, server.url, name);
      await page.getByRole("button", { name: "Trip", exact: true }).click();
      await todoRow(page, "Passport").waitFor(WAIT);
      if (name === "Bob") bob = page;
      else cy = page;
    }
    await pending(ada, 0);

    await ada.context().setOffline(true);
    await syncState(ada, "offline");
    await addTodo(ada, "Sunscreen");
    await editText(ada, "Passport", "Visa");
    await todoRow(ada, "Tickets").getByRole("checkbox").check();
    await pending(ada, 3);
  });

  it("version 2 is deployed (serving 1 and 2); Bob reloads onto it, his base upgraded, and edits", async () => {
    const cySent = recordSent(cy);
    await deploy({ minSupportedVersion: 1 });
    const bobSent = recordSent(bob);
    await bob.reload();
    await syncState(bob, "online");
    // Each of the page's two stores (directory, list) connects as version 2 (Bob's version 1
    // page may have reconnected before the reload) and never as version 1 again.
    await expect.poll(() => connects(bobSent).slice(-2), WAIT).toEqual([2, 2]);
    const sinceReload = () => connects(bobSent).slice(connects(bobSent).indexOf(2));

    await addTodo(bob, "Maps");
    await todoRow(bob, "Passport").getByRole("checkbox").check();
    await pending(bob, 0);
    // Cy's tab still runs version 1 and reconnected to the new server: it sees Bob's edits.
    await syncState(cy, "online");
    await todoRow(cy, "Maps").waitFor(WAIT);
    await cy.locator('[aria-label="Done: Passport"]:checked').waitFor(WAIT);
    expect(await updateBanner(cy).count()).toBe(0);
    expect(new Set(connects(cySent))).toEqual(new Set([1]));
    expect(sinceReload()).not.toContain(1);
  });

  it("Ada comes back on version 1: her queued editTodo is upgraded by the server, everyone converges", async () => {
    adaSent = recordSent(ada);
    await ada.context().setOffline(false);
    await syncState(ada, "online");
    await pending(ada, 0);
    expect(new Set(connects(adaSent))).toEqual(new Set([1]));
    // Sent as version 1 wrote them; the server ran editTodo as version 2's setTodoText.
    expect(pushedNames(adaSent)).toEqual(["addTodo", "editTodo", "toggleTodo"]);

    const expected = { Tickets: true, Visa: true, Sunscreen: false, Maps: false };
    for (const page of [ada, bob, cy]) await expectTodos(page, expected);
  });

  it("Ada edits offline again and reloads onto version 2: her persisted queue is upgraded locally", async () => {
    await ada.context().setOffline(true);
    await syncState(ada, "offline");
    await addTodo(ada, "Charger");
    await editText(ada, "Maps", "Paper maps");
    await pending(ada, 2);
    const listUrl = ada.url();

    // The version 1 page goes; the next one loads version 2 from the network while the sync
    // endpoint stays unreachable, so nothing can upgrade the queue but the page itself.
    await ada.goto("about:blank");
    const context: BrowserContext = ada.context();
    let reachable = false;
    const sent: string[] = [];
    await context.routeWebSocket(/\/sync$/, (ws) => {
      if (!reachable) return ws.close();
      const upstream = ws.connectToServer();
      ws.onMessage((message) => {
        sent.push(String(message));
        upstream.send(message);
      });
    });
    await context.route(/\/sync\//, (route) => (reachable ? route.continue() : route.abort()));
    await context.setOffline(false);
    await ada.goto(listUrl);
    await syncState(ada, "offline");
    await todoRow(ada, "Paper maps").waitFor(WAIT);
    await todoRow(ada, "Charger").waitFor(WAIT);
    await pending(ada, 2);
    expect(await todoRow(bob, "Charger").count()).toBe(0);

    reachable = true;
    await ada.evaluate(() => window.dispatchEvent(new Event("online")));
    await syncState(ada, "online");
    await pending(ada, 0);
    const messages = sent.map((m) => JSON.parse(m) as SentMessage);
    expect(connects(messages)).toEqual([2, 2]);
    // Renamed on this device before the first push, in the queue it persisted while offline.
    expect(pushedNames(messages)).toEqual(["addTodo", "setTodoText"]);

    const expected = { Tickets: true, Visa: true, Sunscreen: false, "Paper maps": false, Charger: false };
    for (const page of [ada, bob, cy]) await expectTodos(page, expected);
  });

  it("the server stops serving version 1: Cy's tab says a new version is available, keeps its edit, and reloads", async () => {
    await deploy({ minSupportedVersion: 2 });
    const banner = updateBanner(cy);
    await banner.waitFor(WAIT);
    expect(await banner.getAttribute("role")).toBe("alert");
    expect(await banner.textContent()).toContain("A new version is available");
    for (const page of [ada, bob]) {
      await syncState(page, "online");
      expect(await updateBanner(page).count()).toBe(0);
    }

    // Bob (version 2) still syncs; Cy's edit waits in her queue until she reloads.
    await addTodo(bob, "Snacks");
    await todoRow(ada, "Snacks").waitFor(WAIT);
    await addTodo(cy, "Hat");
    await pending(cy, 1);
    expect(await todoRow(cy, "Snacks").count()).toBe(0);

    const cySent = recordSent(cy);
    await cy.getByRole("button", { name: "Reload" }).click();
    await syncState(cy, "online");
    await pending(cy, 0);
    expect(new Set(connects(cySent))).toEqual(new Set([2]));
    expect(await updateBanner(cy).count()).toBe(0);

    const expected = {
      Tickets: true,
      Visa: true,
      Sunscreen: false,
      "Paper maps": false,
      Charger: false,
      Snacks: false,
      Hat: false,
    };
    for (const page of [ada, bob, cy]) {
      await expectTodos(page, expected);
      await pending(page, 0);
    }
    // One order for everyone, too.
    expect(await todoTexts(ada)).toEqual(await todoTexts(bob));
    expect(await todoTexts(cy)).toEqual(await todoTexts(bob));
  });

  it("the server's copy holds every todo once, each with version 2's new field", async () => {
    const listId = /#\/list\/([\w-]+)$/.exec(bob.url())?.[1];
    expect(listId).toBeDefined();
    const store = createStore(todoV2(2), {
      space: listId!,
      userId: "dee",
      connect: connectToServer({
        url: `${server.url.replace(/^http/, "ws")}sync`,
        // The app's sign-in, as the page does it (src/sign-in.ts).
        auth: async () => {
          const res = await fetch(`${server.url}auth/login`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ name: "dee" }),
          });
          return ((await res.json()) as { token: string }).token;
        },
        WebSocket: WebSocket as unknown as WebSocketConstructor,
      }),
    });
    try {
      const todos = await new Promise<Array<{ text: string; priority: string }>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no todos from the server in 15 s")), WAIT.timeout);
        const off = store.subscribe(
          async (tx) => (await tx.scan({ prefix: "todos/" })).map((e) => e.value),
          (value) => {
            if (value.length === 0) return;
            clearTimeout(timer);
            queueMicrotask(() => off());
            resolve(value);
          },
        );
      });
      expect(todos.map((t) => t.text).sort()).toEqual([...(await todoTexts(bob))].sort());
      expect(new Set(todos.map((t) => t.priority))).toEqual(new Set(["normal"]));
    } finally {
      await store.close();
    }
  });
});
