import { describe, expect, it, vi } from "vitest";
import { createStore } from "./client.js";
import { OfflineError, ValidationError } from "./errors.js";
import { memoryPersistence } from "./persistence/memory-persistence.js";
import { todoStore } from "../test/todo-definition.js";
import { z } from "zod";
import { defineStore } from "./schema/define-store.js";

describe("createStore", () => {
  it("applies a mutation locally at once and numbers mutations 1, 2, 3", async () => {
    const store = createStore(todoStore, { space: "s1", userId: "u1" });
    expect(store.spaceId).toBe("todo/s1");
    const a = await store.mutate.addTodo({ id: "a", text: "A" });
    const b = await store.mutate.addTodo({ id: "b", text: "B" });
    expect([a.id, b.id]).toEqual([1, 2]);
    expect(await store.query((tx) => tx.get("todos/a"))).toEqual({ id: "a", text: "A", done: false });
    expect(store.status).toEqual({
      connection: "offline",
      pendingCount: 2,
      syncing: false,
      lastError: null,
      updateNeeded: null,
    });
    await store.close();
  });

  it("rejects bad args with a ValidationError and queues nothing", async () => {
    const store = createStore(todoStore, { space: "s1", userId: "u1" });
    await expect(store.mutate.addTodo({ id: 1 } as never)).rejects.toBeInstanceOf(ValidationError);
    expect(store.status.pendingCount).toBe(0);
    const next = await store.mutate.increment(1);
    expect(next.id).toBe(1);
  });

  it("rejects actions with OfflineError when no sync layer is attached", async () => {
    const def = defineStore({ name: "x", keys: { "a/*": z.number() } }).actions((action) => ({
      ping: action(z.object({}), () => Promise.resolve("pong")),
    }));
    const store = createStore(def, { space: "s", userId: "u" });
    await expect(store.action.ping({})).rejects.toBeInstanceOf(OfflineError);
  });

  it("notifies a subscription when its data changes, keeping identity otherwise", async () => {
    const store = createStore(todoStore, { space: "s1", userId: "u1" });
    const onData = vi.fn();
    store.subscribe((tx) => tx.scan({ prefix: "todos/" }), onData);
    await vi.waitFor(() => expect(onData).toHaveBeenCalledTimes(1));
    expect(onData.mock.calls[0]![0]).toEqual([]);
    await store.mutate.addTodo({ id: "a", text: "A" });
    await vi.waitFor(() => expect(onData).toHaveBeenCalledTimes(2));
    await store.mutate.increment(1);
    await store.mutate.addTodo({ id: "a", text: "A" });
    await store.query(() => Promise.resolve(undefined));
    expect(onData).toHaveBeenCalledTimes(2);
  });

  it("reopens from persistence with base and pending and the same client id", async () => {
    const persistence = memoryPersistence();
    const s1 = createStore(todoStore, { space: "s1", userId: "u1", persistence });
    await s1.mutate.addTodo({ id: "a", text: "A" });
    await s1.close();
    const s2 = createStore(todoStore, { space: "s1", userId: "u1", persistence });
    await s2.ready;
    expect(s2.clientId).toBe(s1.clientId);
    expect(s2.status.pendingCount).toBe(1);
    expect(await s2.query((tx) => tx.get("todos/a"))).toEqual({ id: "a", text: "A", done: false });
    expect((await s2.mutate.increment(2)).id).toBe(2);
  });

  it("watches a prefix, optionally starting with the existing keys as adds", async () => {
    const store = createStore(todoStore, { space: "s1", userId: "u1" });
    await store.mutate.addTodo({ id: "a", text: "A" });
    const plain = vi.fn();
    const initial = vi.fn();
    store.watch("todos/", plain);
    store.watch("todos/", initial, { initialValues: true });
    await store.ready;
    await store.mutate.removeTodo("a");
    expect(plain.mock.calls).toEqual([
      [[{ op: "del", key: "todos/a", oldValue: { id: "a", text: "A", done: false } }]],
    ]);
    expect(initial.mock.calls).toEqual([
      [[{ op: "add", key: "todos/a", newValue: { id: "a", text: "A", done: false } }]],
      [[{ op: "del", key: "todos/a", oldValue: { id: "a", text: "A", done: false } }]],
    ]);
  });

  it("reports status changes as pending mutations come and go", async () => {
    const store = createStore(todoStore, { space: "s1", userId: "u1" });
    const seen: number[] = [];
    store.onStatusChange((s) => seen.push(s.pendingCount));
    await store.mutate.increment(1);
    await store.mutate.increment(1);
    expect(seen).toEqual([1, 2]);
  });

  it("re-runs a one-shot query that a change interleaved with", async () => {
    const store = createStore(todoStore, { space: "s1", userId: "u1" });
    await store.ready;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let runs = 0;
    const result = store.query(async (tx) => {
      runs++;
      const first = await tx.get("counter");
      if (runs === 1) await gate;
      return [first, await tx.get("counter")];
    });
    await store.mutate.increment(3);
    release();
    expect(await result).toEqual([3, 3]);
    expect(runs).toBe(2);
  });

  it("composes its status from the sync connection and runs actions through it", async () => {
    const def = defineStore({ name: "x", keys: { "a/*": z.number() } })
      .mutators({ put: { args: z.number(), run: (tx, n) => tx.set(`a/${n}`, n) } })
      .actions((action) => ({ echo: action(z.object({ v: z.number() }), (_tx, a) => Promise.resolve(a.v)) }));
    let connection: "online" | "offline" = "offline";
    let notify = () => undefined as void;
    const calls: Array<[string, unknown]> = [];
    const store = createStore(def, {
      space: "s",
      userId: "u",
      connect: () => ({
        status: () => ({ connection, lastError: null }),
        onStatusChange: (listener) => {
          notify = listener;
          return () => undefined;
        },
        action: (name, args) => {
          calls.push([name, args]);
          return Promise.resolve(42);
        },
        close: () => Promise.resolve(),
      }),
    });
    const seen: string[] = [];
    store.onStatusChange((s) => seen.push(`${s.connection}/${s.pendingCount}/${s.syncing}`));
    await store.mutate.put(1);
    connection = "online";
    notify();
    expect(store.status).toEqual({
      connection: "online",
      pendingCount: 1,
      syncing: true,
      lastError: null,
      updateNeeded: null,
    });
    expect(seen).toEqual(["offline/1/false", "online/1/true"]);
    expect(await store.action.echo({ v: 1 })).toBe(42);
    await expect(store.action.echo({ v: "no" } as never)).rejects.toMatchObject({ code: "invalid_args" });
    expect(calls).toEqual([["echo", { v: 1 }]]);
  });
});
