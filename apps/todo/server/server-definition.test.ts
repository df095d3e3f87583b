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

const sync = createTodoSyncServer(createMemoryStorage());
let running: RunningServer;
const stores: Array<Store<TodoDefinition>> = [];

function open(userId: string): Store<TodoDefinition> {
  const store = createStore(todo, {
    space: "list-1",
    userId,
    connect: connectToServer({
      url: running.url,
      auth: userId,
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
});
