/**
 * docs/EVOLUTION.md, run: the todo store's versions 1 to 5 (this folder) through a real server
 * on one SQLite file, restarted on each new version, and clients whose persistence is reopened
 * under newer definitions (a reload), some of them offline across the deploy.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type AnyStoreDefinition,
  connectToServer,
  createStore,
  defineStore,
  memoryPersistence,
  type MutationRejectedError,
  type Store,
  type UpdateNeeded,
  type WebSocketConstructor,
} from "@synced-store/core";
import { createSyncServer, type Storage, type SyncServer } from "@synced-store/server";
import { listen, type RunningServer } from "@synced-store/server/node";
import { openSqliteStorage } from "@synced-store/server/sqlite";
import { testSyncTimings } from "@synced-store/server/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { todoV1 } from "./todo-v1.js";
import { todoV2, type TodoV2, upgradeTo2 } from "./todo-v2.js";
import { todoV3 } from "./todo-v3.js";
import { todoV4 } from "./todo-v4.js";
import { todoV5 } from "./todo-v5.js";

const SPACE = "list-1";
const WAIT = { timeout: 10_000, interval: 20 };

/** One SQLite file that outlives the servers started on it one after another. */
class Deployment {
  readonly dir = mkdtempSync(join(tmpdir(), "todo-evolution-"));
  readonly storage: Storage = openSqliteStorage({ path: join(this.dir, "todo.sqlite") });
  sync: SyncServer | undefined;
  running: RunningServer | undefined;
  port = 0;

  /** Starts a server of `definition` on the same port as before (clients reconnect to it). */
  async deploy(definition: AnyStoreDefinition): Promise<void> {
    await this.stop();
    this.sync = createSyncServer({
      stores: [definition],
      storage: { ...this.storage, close: () => Promise.resolve() },
      authenticate: ({ auth }) => auth,
    });
    this.running = await listen(this.sync, { port: this.port });
    this.port = this.running.port;
  }

  async stop(): Promise<void> {
    await this.running?.close();
    await this.sync?.close();
    this.running = undefined;
    this.sync = undefined;
  }

  /** The same on every deploy (same port): open apps reconnect to the new server. */
  get url(): string {
    if (this.running === undefined) throw new Error("no server deployed");
    return this.running.url;
  }

  async close(): Promise<void> {
    await this.stop();
    await this.storage.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One user's browser: its persistence survives reloads; each open is one app version. */
class Browser {
  readonly persistence = memoryPersistence();
  readonly rejections: MutationRejectedError[] = [];
  readonly updates: UpdateNeeded[] = [];
  store: Store<AnyStoreDefinition> | undefined;

  constructor(
    readonly userId: string,
    private readonly deployment: Deployment,
  ) {}

  /** (Re)loads the app of `definition`, online or not, onto the persisted client. */
  async open(definition: AnyStoreDefinition, online: boolean): Promise<Store<AnyStoreDefinition>> {
    await this.store?.close();
    const store = createStore(definition, {
      space: SPACE,
      userId: this.userId,
      clientId: `${this.userId}-client`,
      persistence: this.persistence,
      onUpdateNeeded: (info) => this.updates.push(info),
      ...(online
        ? {
            connect: connectToServer({
              url: this.deployment.url,
              auth: this.userId,
              ...testSyncTimings,
              WebSocket: WebSocket as unknown as WebSocketConstructor,
            }),
          }
        : {}),
    });
    store.onRejection((error) => this.rejections.push(error));
    this.store = store;
    return store;
  }

  /** What the app shows: every key it reads, with its value. */
  async view(): Promise<Record<string, unknown>> {
    const entries = await this.live.query((tx) => tx.scan());
    return Object.fromEntries(entries.map((e) => [e.key, e.value]));
  }

  /** Calls mutator `name` (of the open version); resolves once applied locally. */
  async mutate(name: string, args: unknown): Promise<void> {
    const mutate = this.live.mutate as unknown as Record<string, (a: unknown) => Promise<unknown>>;
    await mutate[name]?.(args);
  }

  /** Resolves once online with nothing pending. */
  synced(): Promise<void> {
    return vi.waitFor(() => {
      expect(this.live.status).toMatchObject({ connection: "online", pendingCount: 0 });
    }, WAIT);
  }

  get live(): Store<AnyStoreDefinition> {
    if (this.store === undefined) throw new Error(`${this.userId} has no app open`);
    return this.store;
  }

  async close(): Promise<void> {
    await this.store?.close();
    this.store = undefined;
  }
}

const todo = (id: string, text: string, order: number) => ({ id, text, order, createdAt: order });
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setUp() {
  const deployment = new Deployment();
  const ann = new Browser("ann", deployment);
  const bob = new Browser("bob", deployment);
  const carl = new Browser("carl", deployment);
  cleanups.push(() => deployment.close());
  for (const b of [ann, bob, carl]) cleanups.push(() => b.close());
  return { deployment, ann, bob, carl };
}

describe("docs/EVOLUTION.md, versions 1 to 5 of the todo store", () => {
  it("carries data, offline queues and old apps across every deploy", async () => {
    const { deployment, ann, bob, carl } = setUp();

    // v1 in production: Ann adds two todos and syncs; Carl's v1 app synced too.
    await deployment.deploy(todoV1);
    await ann.open(todoV1, true);
    await ann.mutate("addTodo", todo("a", "Milk", 1));
    await ann.mutate("addTodo", todo("b", "Eggs", 2));
    await ann.synced();
    await carl.open(todoV1, true);
    await carl.synced();

    // Ann goes offline on v1 and edits: an add, a toggle, a move (retired in v2).
    await ann.open(todoV1, false);
    await ann.mutate("addTodo", todo("c", "Tea", 3));
    await ann.mutate("toggleTodo", { id: "a", done: true });
    await ann.mutate("moveTodo", { id: "b", order: 0 });
    expect(ann.live.status.pendingCount).toBe(3);

    // Deploy v2 (serves 1–2). Bob on v2 sees migrated todos, and sets a priority.
    await deployment.deploy(todoV2);
    await carl.live.close();
    await bob.open(todoV2, true);
    await vi.waitFor(async () => {
      expect(await bob.view()).toMatchObject({ "todos/b": { text: "Eggs", priority: "normal" } });
    }, WAIT);
    await bob.mutate("setPriority", { id: "b", priority: "high" });
    await bob.synced();

    // Ann comes back still on v1: her queue is upgraded on the server; the move is rejected.
    await ann.open(todoV1, true);
    await ann.synced();
    expect(ann.rejections.map((r) => [r.code, r.mutatorName, r.message])).toEqual([
      [
        "mutator_retired",
        "moveTodo",
        "moveTodo was retired in version 2: Lists are sorted by priority now; the move was not kept",
      ],
    ]);
    // v2 has no `down`: the v1 app reads v2 todos as they are, priority included.
    await vi.waitFor(async () => {
      expect(await ann.view()).toMatchObject({
        "todos/a": { text: "Milk", done: true, priority: "normal" },
        "todos/b": { text: "Eggs", order: 2, priority: "high" },
        "todos/c": { text: "Tea", priority: "normal" },
      });
    }, WAIT);

    // Offline again, Ann edits on v1, then reloads onto v2 before reconnecting: her queue is
    // upgraded locally (a move rejected there), and her base keeps Bob's priority.
    await ann.open(todoV1, false);
    await ann.mutate("toggleTodo", { id: "c", done: true });
    await ann.mutate("moveTodo", { id: "c", order: 0 });
    ann.rejections.length = 0;
    await ann.open(todoV2, false);
    await ann.live.query((tx) => tx.scan());
    expect(ann.rejections.map((r) => [r.code, r.mutatorName])).toEqual([["mutator_retired", "moveTodo"]]);
    expect(await ann.view()).toMatchObject({
      "todos/b": { priority: "high" },
      "todos/c": { done: true, order: 3, priority: "normal" },
    });
    await ann.open(todoV2, true);
    await ann.synced();

    // Deploy v3 (serves 2–3), migrating every space up front, once.
    await deployment.stop();
    const cli = createSyncServer({
      stores: [todoV3],
      storage: { ...deployment.storage, close: () => Promise.resolve() },
    });
    expect(await cli.migrate()).toMatchObject({ spaces: 1, migrated: 1, failed: [] });
    expect(await cli.migrate()).toMatchObject({ spaces: 1, migrated: 0, current: 1 });
    await cli.close();
    const stored = await deployment.storage.read(`todo/${SPACE}`, (r) => r.snapshot());
    // `migrate` ran on the server only: the server-only stats count the three todos.
    expect(stored.find((row) => row.key === "$$so/stats")?.value).toEqual({ added: 3, cleared: 0 });
    expect(stored.find((row) => row.key === "todos/a")?.value).toMatchObject({ title: "Milk" });
    await deployment.deploy(todoV3);

    // Carl's v1 app is told to update, with the versions; his state stays persisted.
    await carl.open(todoV1, true);
    await vi.waitFor(() => expect(carl.live.status.updateNeeded).not.toBeNull(), WAIT);
    expect(carl.updates).toMatchObject([
      { reason: "client_too_old", clientVersion: 1, minSupportedVersion: 2, serverVersion: 3 },
    ]);
    // He edits anyway: the edit shows and stays queued until he reloads onto a served version.
    await carl.mutate("editTodo", { id: "b", text: "Brown eggs" });
    expect(carl.live.status.pendingCount).toBe(1);

    // Ann's v2 app is still served: she reads `text` (through `down`) and edits with v2 calls.
    await vi.waitFor(async () => {
      expect(await ann.view()).toMatchObject({ "todos/a": { text: "Milk" } });
    }, WAIT);
    expect(await ann.view()).not.toHaveProperty(["todos/a", "title"]);
    await ann.mutate("editTodo", { id: "a", text: "Oat milk" });
    await ann.synced();

    // Bob reloads onto v3 and reads Ann's edit under the new name.
    await bob.open(todoV3, true);
    await vi.waitFor(async () => {
      expect(await bob.view()).toMatchObject({ "todos/a": { title: "Oat milk" } });
    }, WAIT);

    // Rollback: Ann loads v4 while the server is still v3. She is told the server is behind,
    // keeps editing, and nothing queued is lost.
    await ann.open(todoV4, true);
    await vi.waitFor(() => expect(ann.live.status.lastError?.code).toBe("server_version_behind"), WAIT);
    await ann.mutate("setPriority", { id: "a", priority: "low" });
    expect(ann.live.status).toMatchObject({ pendingCount: 1, updateNeeded: null });

    // Deploy v4 (expand, serves 3–4) on the same port: Ann's app reconnects and pushes.
    await deployment.deploy(todoV4);
    await ann.synced();
    // Bob's v3 app reads the copy v4 still writes into the todo.
    await vi.waitFor(async () => {
      expect(await bob.view()).toMatchObject({ "todos/a": { priority: "low" } });
    }, WAIT);
    await bob.mutate("setPriority", { id: "c", priority: "high" });
    await bob.synced();

    // Deploy v5 (contract, serves 4–5): Carl's old queue finally goes through, from v1 to v5.
    await deployment.deploy(todoV5);
    await carl.open(todoV5, true);
    await carl.synced();
    await ann.synced();
    await bob.open(todoV5, true);
    await bob.synced();
    const expected = {
      "todos/a": { id: "a", title: "Oat milk", done: true, order: 1 },
      "todos/b": { id: "b", title: "Brown eggs", done: false, order: 2 },
      "todos/c": { id: "c", title: "Tea", done: true, order: 3 },
      "priorities/a": "low",
      "priorities/b": "high",
      "priorities/c": "high",
    };
    for (const b of [ann, bob, carl]) {
      await vi.waitFor(async () => {
        const view = await b.view();
        expect(view).toMatchObject(expected);
        expect(Object.keys(view).filter((k) => k.startsWith("todos/"))).toHaveLength(3);
        for (const id of ["a", "b", "c"]) expect(view[`todos/${id}`]).not.toHaveProperty("priority");
      }, WAIT);
    }
  });
});

/** v2 with a `down` that drops information: v1 apps are sent todos without their priority. */
function lossyV2(refetchBase: boolean) {
  const values = {
    "todos/*": {
      up: (t: object) => ({ priority: "normal", ...t }),
      down: ({ priority: _dropped, ...t }: TodoV2) => t,
    },
  };
  return defineStore({
    name: "todo",
    version: 2,
    keys: todoV2.keys,
    upgrades: { 2: { ...upgradeTo2, values, refetchBase } },
  }).mutators(todoV2.mutatorDefs);
}

describe("docs/EVOLUTION.md: `up(down(v))` must be `v`", () => {
  for (const refetchBase of [false, true]) {
    it(`a lossy down ${refetchBase ? "with refetchBase: the reloaded client pulls afresh" : "leaves a reloaded client's base off the server's"}`, async () => {
      const { deployment, ann, bob } = setUp();
      const v2 = lossyV2(refetchBase);
      await deployment.deploy(v2);
      await bob.open(v2, true);
      await bob.mutate("addTodo", { ...todo("a", "Milk", 1), priority: "high" });
      await bob.synced();
      // Ann's v1 app reads the todo without its priority, then she reloads onto v2.
      await ann.open(todoV1, true);
      await vi.waitFor(async () => expect(await ann.view()).toHaveProperty("todos/a"), WAIT);
      expect(await ann.view()).not.toHaveProperty(["todos/a", "priority"]);
      await ann.open(v2, true);
      await ann.synced();
      await bob.mutate("addTodo", { ...todo("b", "Eggs", 2), priority: "low" });
      await vi.waitFor(async () => expect(await ann.view()).toHaveProperty("todos/b"), WAIT);
      // Nobody changed todos/a since: only a fresh snapshot brings back the server's value.
      expect(await ann.view()).toMatchObject({
        "todos/a": { priority: refetchBase ? "high" : "normal" },
        "todos/b": { priority: "low" },
      });
      expect(await bob.view()).toMatchObject({ "todos/a": { priority: "high" } });
    });
  }
});
