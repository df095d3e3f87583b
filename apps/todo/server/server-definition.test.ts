import {
  connectToServer,
  createStore,
  MutationRejectedError,
  type Query,
  type Store,
  type WebSocketConstructor,
} from "@synced-store/core";
import { createMemoryStorage } from "@synced-store/server";
import { listen, type RunningServer } from "@synced-store/server/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { todo, type TodoDefinition } from "../src/shared/definition.js";
import { createTodoSyncServer } from "./create-todo-sync-server.js";
import { TOO_LONG_MESSAGE } from "./server-definition.js";
import { authSecret, todoAuth } from "./todo-auth.js";

const auth = todoAuth({ secret: authSecret({}, true) });
const sync = createTodoSyncServer(createMemoryStorage(), auth);
let running: RunningServer;
const stores: Array<Store<TodoDefinition>> = [];

function open(userId: string, space = "list-1"): Store<TodoDefinition> {
  const store = createStore(todo, {
    space,
    userId,
    connect: connectToServer({
      url: running.url,
      auth: async () => (await auth.issue(userId)).token,
      WebSocket: WebSocket as unknown as WebSocketConstructor,
    }),
  });
  stores.push(store);
  return store;
}

/** Resolves once `query` returns something `accept` takes (bounded: 5 s). */
function until<T>(
  store: Store<TodoDefinition>,
  query: Query<TodoDefinition, T>,
  accept: (v: T) => boolean,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("condition not met in 5 s")), 5_000);
    const off = store.subscribe(query, (value) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      queueMicrotask(() => off());
      resolve(value);
    });
  });
}

/** Resolves once the store is connected (actions need a connection). */
function online(store: Store<TodoDefinition>): Promise<void> {
  return new Promise((resolve) => {
    if (store.status.connection === "online") return resolve();
    const off = store.onStatusChange((status) => {
      if (status.connection !== "online") return;
      off();
      resolve();
    });
  });
}

describe("todo server definition, over a real server", () => {
  beforeAll(async () => {
    running = await listen(sync, { port: 0 });
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await running.close();
    await sync.close();
  });

  it("rejects a todo longer than the server allows, with the reason, and rolls it back", async () => {
    const ada = open("ada");
    const text = "x".repeat(121);
    const { confirmed } = await ada.mutate.addTodo({ id: "long", text, order: 1, createdAt: 1 });
    expect(await ada.query((tx) => tx.get("todos/long"))).toMatchObject({ text }); // optimistic
    const error = await confirmed.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MutationRejectedError);
    expect((error as MutationRejectedError).message).toContain(TOO_LONG_MESSAGE);
    expect(await ada.query((tx) => tx.get("todos/long"))).toBeUndefined();
  });

  it("clears completed todos for everyone and keeps its counts server-only", async () => {
    const ada = open("ada");
    const bob = open("bob");
    for (const [id, text] of [
      ["a", "Milk"],
      ["b", "Bread"],
    ] as const) {
      await (
        await ada.mutate.addTodo({ id, text, order: id === "a" ? 1 : 2, createdAt: id === "a" ? 2 : 3 })
      ).confirmed;
    }
    await (
      await ada.mutate.toggleTodo({ id: "a", done: true })
    ).confirmed;

    expect(await bob.action.clearCompleted({})).toEqual({ removed: 1, totalCleared: 1 });
    const left = await until(
      ada,
      async (tx) => (await tx.scan({ prefix: "todos/" })).map((e) => e.key),
      (keys) => keys.length === 1,
    );
    expect(left).toEqual(["todos/b"]);

    const activity = await ada.action.activity({ limit: 10 });
    expect(activity.stats).toEqual({ added: 2, cleared: 1 });
    expect(activity.recent.map((e) => e.what)).toEqual([
      "added “Milk”",
      "added “Bread”",
      "cleared 1 completed",
    ]);
    expect(await bob.query((tx) => tx.get("$$so/stats"))).toBeUndefined(); // never reaches a client
  });

  it("keeps a user's filter private", async () => {
    const ada = open("ada");
    const bob = open("bob");
    await (
      await ada.mutate.setFilter("done")
    ).confirmed;
    await (
      await bob.mutate.setFilter("active")
    ).confirmed;
    expect(await ada.query((tx) => tx.get(tx.privateKey("filter")))).toBe("done");
    expect(await bob.query((tx) => tx.scan({ prefix: "$$pu/" }))).toEqual([
      { key: "$$pu/bob/filter", value: "active" },
    ]);
  });

  it("deletes a list's data for everyone, leaves a tombstone, and refuses later edits", async () => {
    const ada = open("ada", "doomed");
    const bob = open("bob", "doomed");
    await (
      await ada.mutate.addTodo({ id: "t1", text: "Milk", order: 1, createdAt: 1 })
    ).confirmed;
    await (
      await bob.mutate.setFilter("done")
    ).confirmed;

    expect(await ada.action.purgeList({ name: "Doomed" })).toEqual({ removedTodos: 1 });
    const tombstone = await until(
      bob,
      (tx) => tx.get("deleted"),
      (t) => t !== undefined,
    );
    expect(tombstone).toMatchObject({ name: "Doomed", by: "ada" });
    expect(await bob.query((tx) => tx.scan())).toEqual([{ key: "deleted", value: tombstone }]);
    expect(await ada.action.activity({ limit: 5 })).toEqual({ stats: { added: 0, cleared: 0 }, recent: [] });

    const late = await bob.mutate.addTodo({ id: "t2", text: "Too late", order: 2, createdAt: 2 });
    const error = await late.confirmed.then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as MutationRejectedError).message).toContain("The list “Doomed” was deleted by ada");
  });

  it("makes one first list however many new users arrive at once", async () => {
    const ada = open("ada", "lists");
    const bob = open("bob", "lists");
    await Promise.all([online(ada), online(bob)]);
    const [a, b] = await Promise.all([
      ada.action.openFirstList({ id: "first-a", name: "My list", createdAt: 10 }),
      bob.action.openFirstList({ id: "first-b", name: "My list", createdAt: 11 }),
    ]);
    expect([a.id, b.id]).toEqual([a.id, a.id]);
    expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
    const lists = await until(
      bob,
      async (tx) => (await tx.scan({ prefix: "lists/" })).map((e) => e.key),
      (keys) => keys.length > 0,
    );
    expect(lists).toEqual([`lists/${a.id}`]);
  });
});
