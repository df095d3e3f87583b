import { describe, expect, it, vi } from "vitest";
import { todoStore } from "../../test/todo-definition.js";
import { memoryPersistence } from "../persistence/memory-persistence.js";
import { LocalStore } from "../store/local-store.js";
import { WatchRegistry } from "./watch-registry.js";

describe("WatchRegistry", () => {
  it("delivers add / change / del diffs under the prefix, in key order", async () => {
    const store = new LocalStore({
      definition: todoStore,
      userId: "u1",
      clientId: "c",
      persistence: memoryPersistence().open("w"),
    });
    const watches = new WatchRegistry(() => undefined);
    store.onChange((c) => watches.notify(c));
    const onTodos = vi.fn<(diffs: unknown) => void>();
    const onCounter = vi.fn();
    watches.watch("todos/", onTodos);
    const off = watches.watch("counter", onCounter);
    await store.mutate("addTodo", { id: "b", text: "B" });
    // Rewrites todos/b with an equal value: no diff.
    await store.mutate("addTodo", { id: "b", text: "B" });
    await store.mutate("toggle", { id: "b" });
    await store.applyServerUpdate({
      minIncludedVersion: 1,
      maxIncludedVersion: 1,
      patches: [{ op: "set", key: "todos/a", value: { id: "a", text: "A", done: false } }],
      lastMutationId: 3,
    });
    await store.mutate("removeTodo", "a");
    off();
    await store.mutate("increment", 1);
    expect(onTodos.mock.calls.map((c) => c[0])).toEqual([
      [{ op: "add", key: "todos/b", newValue: { id: "b", text: "B", done: false } }],
      [
        {
          op: "change",
          key: "todos/b",
          oldValue: { id: "b", text: "B", done: false },
          newValue: { id: "b", text: "B", done: true },
        },
      ],
      // The server's state replaces both acknowledged mutations: b disappears, a appears.
      [
        { op: "add", key: "todos/a", newValue: { id: "a", text: "A", done: false } },
        { op: "del", key: "todos/b", oldValue: { id: "b", text: "B", done: true } },
      ],
      [{ op: "del", key: "todos/a", oldValue: { id: "a", text: "A", done: false } }],
    ]);
    expect(onCounter).not.toHaveBeenCalled();
    expect(watches.size).toBe(1);
  });
});
