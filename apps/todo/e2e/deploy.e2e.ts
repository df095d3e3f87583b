import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startServerProcess,
  type ServerProcess,
} from "../../../packages/server/src/test-support/server-process.js";
import { launchChromium, type TestBrowser } from "../../e2e-kit/chromium.js";
import { waitForOfflineShell } from "../../e2e-kit/offline-shell.js";
import { buildApp } from "../../e2e-kit/production-bundle.js";
import { addTodo, createList, signIn, syncState, todoRow, todoTexts, WAIT } from "./todo-page.js";

/**
 * The README's one-process deploy, run for real: the todo app built for production (as
 * `pnpm build` builds it; about a second, so the test builds it itself), served with its sync
 * endpoints and sign-in on one port by `synced-store serve apps/todo/server/deploy.ts --static
 * <dir> --db <file>` (signed tokens, `SYNCED_STORE_AUTH_SECRET`) in a process of its own, and
 * used by two people in Chromium.
 */

const appRoot = fileURLToPath(new URL("..", import.meta.url));
const definition = fileURLToPath(new URL("../server/deploy.ts", import.meta.url));
/** Signs the sign-in tokens; the deploy module refuses to start without one. */
const secret = { SYNCED_STORE_AUTH_SECRET: "deploy-e2e-secret-".padEnd(48, "x") };
let dir: string;
let server: ServerProcess;
let browser: TestBrowser;

const serve = (port: number) =>
  startServerProcess(
    [definition, "--static", join(dir, "dist"), "--db", join(dir, "todo.sqlite"), "--port", String(port)],
    30_000,
    secret,
  );
const pageUrl = () => `http://127.0.0.1:${server.port}/`;

describe("the built todo app served by synced-store serve --static, on SQLite, in Chromium", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "todo-deploy-e2e-"));
    await buildApp(appRoot, join(dir, "dist"));
    [server, browser] = await Promise.all([serve(0), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });

  let ada: Page;
  let bob: Page;

  it("serves the built page and its sync endpoint on one port; two users see each other's edits", async () => {
    const page = await fetch(pageUrl());
    expect(page.headers.get("cache-control")).toBe("no-cache");
    const html = await page.text();
    // The production build, not the dev server's page.
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/);
    expect(html).not.toContain("@vite/client");

    ada = await signIn(browser, pageUrl(), "Ada");
    bob = await signIn(browser, pageUrl(), "Bob");
    await createList(ada, "Picnic");
    await addTodo(ada, "Blanket");
    await bob.getByRole("button", { name: "Picnic", exact: true }).click();
    await todoRow(bob, "Blanket").waitFor(WAIT);
    await addTodo(bob, "Lemonade");
    await todoRow(ada, "Lemonade").waitFor(WAIT);
    await todoRow(ada, "Blanket").getByRole("checkbox").check();
    await expect.poll(() => todoRow(bob, "Blanket").getByRole("checkbox").isChecked(), WAIT).toBe(true);
    // Both synced over WebSockets on the page's own port (not the HTTP fallback).
    const metrics = await (await fetch(`${pageUrl()}metrics`)).text();
    const open = /^synced_store_transport_connections\{transport="websocket"\} (\d+)$/m.exec(metrics);
    expect(Number(open?.[1])).toBeGreaterThanOrEqual(2);
  });

  it("reloads with every edit there", async () => {
    const response = await bob.reload();
    expect(response?.status()).toBe(200);
    await syncState(bob, "online");
    await bob.getByRole("heading", { name: "Picnic", exact: true }).waitFor(WAIT);
    expect(await todoTexts(bob)).toEqual(await todoTexts(ada));
    expect(await todoTexts(bob)).toEqual(expect.arrayContaining(["Blanket", "Lemonade"]));
  });

  it("reloads offline from the service worker, and converges when the server is back on its SQLite file", async () => {
    await Promise.all([waitForOfflineShell(ada), waitForOfflineShell(bob)]);
    const port = server.port;
    await server.kill("SIGTERM");
    for (const page of [ada, bob]) await page.context().setOffline(true);
    for (const page of [ada, bob]) {
      const response = await page.reload();
      expect(response?.fromServiceWorker()).toBe(true);
      await syncState(page, "offline");
      await todoRow(page, "Lemonade").waitFor(WAIT);
    }
    await addTodo(ada, "Sun hat");
    await addTodo(bob, "Frisbee");

    server = await serve(port);
    for (const page of [ada, bob]) await page.context().setOffline(false);
    for (const page of [ada, bob]) {
      await syncState(page, "online");
      for (const text of ["Blanket", "Lemonade", "Sun hat", "Frisbee"])
        await todoRow(page, text).waitFor(WAIT);
    }
    expect(await todoTexts(ada)).toEqual(await todoTexts(bob));
  });
});
