import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { todoStore } from "../../test/todo-definition.js";
import { createStore } from "../client.js";
import { createDrivenStore, visibleState } from "../testing.js";
import { idbPersistence } from "./idb-persistence.js";

describe("createStore over IndexedDB (fake-indexeddb)", () => {
  it("reopens with base, version, acknowledged id and pending mutations, with no network", async () => {
    const persistence = idbPersistence({ databasePrefix: `reopen-${Math.random()}` });
    const { store: first, target } = createDrivenStore(todoStore, {
      space: "list",
      userId: "u1",
      persistence,
    });
    await first.ready;
    await target.adoptHistory("h1", 0);
    await target.applyServerUpdate({
      minIncludedVersion: 0,
      maxIncludedVersion: 5,
      patches: [{ op: "reset" }, { op: "set", key: "todos/a", value: { id: "a", text: "A", done: false } }],
    });
    await first.mutate.toggle({ id: "a" });
    await first.mutate.addTodo({ id: "b", text: "B" });
    await target.applyServerUpdate({
      minIncludedVersion: 6,
      maxIncludedVersion: 6,
      patches: [{ op: "set", key: "todos/a", value: { id: "a", text: "A", done: true } }],
      lastMutationId: 1,
    });
    const before = await visibleState(first);
    await first.close();

    const second = createStore(todoStore, { space: "list", userId: "u1", persistence });
    await second.ready;
    expect(second.clientId).toBe(first.clientId);
    expect(second.status).toEqual({
      connection: "offline",
      pendingCount: 1,
      syncing: false,
      lastError: null,
      updateNeeded: null,
    });
    expect(await visibleState(second)).toEqual(before);
    expect(before).toEqual({
      "todos/a": { id: "a", text: "A", done: true },
      "todos/b": { id: "b", text: "B", done: false },
    });
    expect((await second.mutate.increment(1)).id).toBe(3);
    await second.close();
  });
});
