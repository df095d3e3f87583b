import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { todoStore } from "../../test/todo-definition.js";
import { MutationRejectedError, PermissionError, ValidationError } from "../errors.js";
import type { Persistence } from "../kv/persistence.js";
import { memoryPersistence } from "../persistence/memory-persistence.js";
import { defineStore } from "../schema/define-store.js";
import { LocalStore } from "./local-store.js";
import type { StoreChange } from "./store-change.js";

function open(persistence: Persistence = memoryPersistence().open("t"), userId = "u1"): LocalStore {
  return new LocalStore({ definition: todoStore, userId, clientId: "c1", persistence, now: () => 42 });
}

const get = (s: LocalStore, key: string) => s.readTransaction().read(key);
const all = (s: LocalStore) =>
  Object.fromEntries(
    s
      .readTransaction()
      .readScan()
      .map((e) => [e.key, e.value]),
  );
const todo = (id: string, text = id.toUpperCase(), done = false) => ({ id, text, done });

describe("LocalStore mutate", () => {
  it("numbers mutations 1, 2, 3 and a throwing mutator uses no id and leaves no effect", async () => {
    const s = open();
    expect((await s.mutate("addTodo", { id: "a", text: "A" })).id).toBe(1);
    await expect(s.mutate("toggle", { id: "missing" })).rejects.toThrow("No todo missing");
    expect((await s.mutate("increment", 2)).id).toBe(2);
    expect(s.pendingMutations(0)).toEqual([
      { id: 1, name: "addTodo", args: { id: "a", text: "A" }, timestamp: 42 },
      { id: 2, name: "increment", args: 2, timestamp: 42 },
    ]);
    expect(s.pendingMutations(1).map((m) => m.id)).toEqual([2]);
  });

  it("rolls back every write of a mutator that throws after writing", async () => {
    const s = open();
    await expect(s.mutate("setRaw", { key: "todos/x", value: { id: 1 } })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(get(s, "todos/x")).toBeUndefined();
    expect(s.pendingCount()).toBe(0);
  });

  it("types its errors: invalid args, unknown key, invalid value, another user's key", async () => {
    const s = open();
    const err = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(await err(s.mutate("increment", "x"))).toMatchObject({ code: "invalid_args" });
    expect(await err(s.mutate("setRaw", { key: "nope/1", value: 1 }))).toMatchObject({ code: "unknown_key" });
    expect(await err(s.mutate("setRaw", { key: "counter", value: "x" }))).toMatchObject({
      code: "invalid_value",
    });
    const perm = await err(s.mutate("setRaw", { key: "$$pu/u2/filter", value: "all" }));
    expect(perm).toBeInstanceOf(PermissionError);
    expect(s.pendingCount()).toBe(0);
  });

  it("keeps $$so/ writes out of the local store and reads them as absent", async () => {
    const s = open();
    await s.mutate("writeSecret", { id: "k", value: "v" });
    expect(get(s, "$$so/secrets/k")).toBeUndefined();
    expect(Object.keys(all(s))).toEqual([]);
    expect(s.pendingCount()).toBe(1);
  });

  it("lets a user write its own private keys", async () => {
    const s = open();
    await s.mutate("setFilter", "done");
    expect(get(s, "$$pu/u1/filter")).toBe("done");
  });

  it("persists a mutation before mutate resolves", async () => {
    const provider = memoryPersistence();
    const s = open(provider.open("p"));
    await s.mutate("addTodo", { id: "a", text: "A" });
    const state = await provider.open("p").load();
    expect(state?.pending.map((m) => m.name)).toEqual(["addTodo"]);
  });

  it("emits only the keys a mutation changed, with old and new values", async () => {
    const s = open();
    const changes: StoreChange[] = [];
    s.onChange((c) => changes.push(c));
    await s.mutate("addTodo", { id: "a", text: "A" });
    await s.mutate("toggle", { id: "a" });
    expect(changes.map((c) => [...c.changes])).toEqual([
      [["todos/a", { oldValue: undefined, newValue: todo("a") }]],
      [["todos/a", { oldValue: todo("a"), newValue: todo("a", "A", true) }]],
    ]);
  });
});

describe("LocalStore server updates", () => {
  it("applies patches, settles acknowledged mutations and rebases the rest", async () => {
    const s = open();
    const m1 = await s.mutate("increment", 1);
    const m2 = await s.mutate("increment", 10);
    expect(get(s, "counter")).toBe(11);
    const result = await s.applyServerUpdate({
      minIncludedVersion: 1,
      maxIncludedVersion: 1,
      patches: [{ op: "set", key: "counter", value: 101 }],
      lastMutationId: 1,
    });
    expect(result).toEqual({ status: "applied" });
    await expect(m1.confirmed).resolves.toBeUndefined();
    expect(get(s, "counter")).toBe(111);
    expect(s.pendingMutations(0).map((m) => m.id)).toEqual([2]);
    expect(s.baseVersion()).toBe(1);
    expect(s.lastAcknowledgedId()).toBe(1);
    let settled = false;
    void m2.confirmed.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
  });

  it("reports a gap without applying, and treats old updates as stale", async () => {
    const s = open();
    await s.applyServerUpdate({
      minIncludedVersion: 1,
      maxIncludedVersion: 3,
      patches: [{ op: "set", key: "counter", value: 3 }],
    });
    expect(await s.applyServerUpdate({ minIncludedVersion: 5, maxIncludedVersion: 6, patches: [] })).toEqual({
      status: "gap",
      baseVersion: 3,
    });
    expect(
      await s.applyServerUpdate({
        minIncludedVersion: 2,
        maxIncludedVersion: 3,
        patches: [{ op: "set", key: "counter", value: 0 }],
      }),
    ).toEqual({ status: "stale" });
    expect(get(s, "counter")).toBe(3);
    expect(
      await s.applyServerUpdate({
        minIncludedVersion: 2,
        maxIncludedVersion: 4,
        patches: [{ op: "del", key: "counter" }],
      }),
    ).toEqual({ status: "applied" });
    expect(get(s, "counter")).toBeUndefined();
  });

  it("still processes lastMutationId on a stale update", async () => {
    const s = open();
    await s.applyServerUpdate({
      minIncludedVersion: 1,
      maxIncludedVersion: 2,
      patches: [{ op: "set", key: "counter", value: 5 }],
    });
    const m = await s.mutate("increment", 1);
    await s.applyServerUpdate({
      minIncludedVersion: 2,
      maxIncludedVersion: 2,
      patches: [],
      lastMutationId: 1,
    });
    await expect(m.confirmed).resolves.toBeUndefined();
    expect(s.pendingCount()).toBe(0);
  });

  it("rejects confirmed with the server's code and message and emits on the rejection stream", async () => {
    const s = open();
    const onRejection = vi.fn();
    s.onRejection(onRejection);
    const m = await s.mutate("addTodo", { id: "a", text: "A" });
    s.recordRejection(1, "permission_denied", "not yours");
    await s.applyServerUpdate({
      minIncludedVersion: 1,
      maxIncludedVersion: 1,
      patches: [],
      lastMutationId: 1,
    });
    const error = await m.confirmed.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MutationRejectedError);
    expect(error).toMatchObject({
      code: "permission_denied",
      message: "not yours",
      mutationId: 1,
      mutatorName: "addTodo",
    });
    expect(onRejection).toHaveBeenCalledWith(error);
    expect(get(s, "todos/a")).toBeUndefined();
  });

  it("still emits a rejection that arrives after the acknowledgement", async () => {
    const s = open();
    const onRejection = vi.fn();
    s.onRejection(onRejection);
    const m = await s.mutate("increment", 1);
    await s.applyServerUpdate({
      minIncludedVersion: 1,
      maxIncludedVersion: 1,
      patches: [],
      lastMutationId: 1,
    });
    await expect(m.confirmed).resolves.toBeUndefined();
    s.recordRejection(1, "invalid_value", "too big");
    s.recordRejection(1, "invalid_value", "twice: ignored");
    s.recordRejection(7, "invalid_value", "unknown id: kept for later");
    expect(onRejection).toHaveBeenCalledTimes(1);
    expect(onRejection.mock.calls[0]![0]).toMatchObject({
      code: "invalid_value",
      mutationId: 1,
      mutatorName: "increment",
    });
  });

  it("keeps a mutation whose replay throws pending, with no local effect", async () => {
    const s = open();
    await s.applyServerUpdate({
      minIncludedVersion: 1,
      maxIncludedVersion: 1,
      patches: [{ op: "set", key: "todos/a", value: todo("a") }],
    });
    await s.mutate("toggle", { id: "a" });
    await s.mutate("increment", 1);
    expect(get(s, "todos/a")).toEqual(todo("a", "A", true));
    await s.applyServerUpdate({
      minIncludedVersion: 2,
      maxIncludedVersion: 2,
      patches: [{ op: "del", key: "todos/a" }],
    });
    expect(get(s, "todos/a")).toBeUndefined();
    expect(get(s, "counter")).toBe(1);
    expect(s.pendingMutations(0).map((m) => m.name)).toEqual(["toggle", "increment"]);
    // The todo comes back: the kept mutation applies again.
    await s.applyServerUpdate({
      minIncludedVersion: 3,
      maxIncludedVersion: 3,
      patches: [{ op: "set", key: "todos/a", value: todo("a") }],
    });
    expect(get(s, "todos/a")).toEqual(todo("a", "A", true));
  });

  it("clears the base on a reset patch, whatever the versions", async () => {
    const s = open();
    await s.applyServerUpdate({
      minIncludedVersion: 1,
      maxIncludedVersion: 9,
      patches: [
        { op: "set", key: "todos/a", value: todo("a") },
        { op: "set", key: "counter", value: 1 },
      ],
    });
    await s.mutate("addTodo", { id: "b", text: "B" });
    const changes: StoreChange[] = [];
    s.onChange((c) => changes.push(c));
    expect(
      await s.applyServerUpdate({
        minIncludedVersion: 0,
        maxIncludedVersion: 2,
        patches: [{ op: "reset" }, { op: "set", key: "counter", value: 7 }],
      }),
    ).toEqual({ status: "applied" });
    expect(all(s)).toEqual({ counter: 7, "todos/b": todo("b") });
    expect(s.baseVersion()).toBe(2);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.reset).toBe(true);
    expect([...changes[0]!.changes.keys()].sort()).toEqual(["counter", "todos/a"]);
  });

  it("ignores server-only keys in patches", async () => {
    const s = open();
    await s.applyServerUpdate({
      minIncludedVersion: 1,
      maxIncludedVersion: 1,
      patches: [{ op: "set", key: "$$so/secrets/x", value: "v" }],
    });
    expect([...s.baseEntries()]).toEqual([]);
  });

  it("emits no change when a rebase rebuilds equal values", async () => {
    const s = open();
    await s.mutate("addTodo", { id: "a", text: "A" });
    const onChange = vi.fn();
    s.onChange(onChange);
    await s.applyServerUpdate({ minIncludedVersion: 1, maxIncludedVersion: 1, patches: [] });
    expect(onChange).not.toHaveBeenCalled();
  });

  it("renumbers pending mutations on adoptHistory and resets the base version", async () => {
    const s = open();
    await s.applyServerUpdate({ minIncludedVersion: 1, maxIncludedVersion: 4, patches: [] });
    const m1 = await s.mutate("increment", 1);
    await s.mutate("increment", 2);
    await s.adoptHistory("h2", 7);
    expect(s.historyId()).toBe("h2");
    expect(s.baseVersion()).toBe(0);
    expect(s.lastAcknowledgedId()).toBe(7);
    expect(s.pendingMutations(0).map((m) => m.id)).toEqual([8, 9]);
    expect((await s.mutate("increment", 3)).id).toBe(10);
    await s.applyServerUpdate({
      minIncludedVersion: 0,
      maxIncludedVersion: 1,
      patches: [{ op: "reset" }],
      lastMutationId: 8,
    });
    await expect(m1.confirmed).resolves.toBeUndefined();
    expect(get(s, "counter")).toBe(5);
  });

  it("calls onPendingAdded for each new mutation", async () => {
    const s = open();
    const listener = vi.fn();
    const off = s.onPendingAdded(listener);
    await s.mutate("increment", 1);
    off();
    await s.mutate("increment", 1);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});

describe("LocalStore persistence", () => {
  it("reopens with client id, history, base, version, acknowledged id and pending replayed", async () => {
    const provider = memoryPersistence();
    const s1 = new LocalStore({
      definition: todoStore,
      userId: "u1",
      clientId: "first",
      persistence: provider.open("x"),
    });
    await s1.adoptHistory("h1", 0);
    await s1.applyServerUpdate({
      minIncludedVersion: 1,
      maxIncludedVersion: 3,
      patches: [{ op: "set", key: "counter", value: 10 }],
    });
    await s1.mutate("increment", 1);
    await s1.mutate("increment", 2);
    await s1.applyServerUpdate({
      minIncludedVersion: 4,
      maxIncludedVersion: 4,
      patches: [{ op: "set", key: "counter", value: 11 }],
      lastMutationId: 1,
    });
    await s1.close();
    const s2 = new LocalStore({
      definition: todoStore,
      userId: "u1",
      clientId: "second",
      persistence: provider.open("x"),
    });
    await s2.ready;
    expect(s2.clientId).toBe("first");
    expect(s2.historyId()).toBe("h1");
    expect(s2.baseVersion()).toBe(4);
    expect(s2.lastAcknowledgedId()).toBe(1);
    expect(s2.pendingMutations(0).map((m) => [m.id, m.args])).toEqual([[2, 2]]);
    expect(get(s2, "counter")).toBe(13);
    expect((await s2.mutate("increment", 1)).id).toBe(3);
  });

  it("persists the last op per key when a patch sets then deletes it", async () => {
    const provider = memoryPersistence();
    const s1 = open(provider.open("y"));
    await s1.applyServerUpdate({
      minIncludedVersion: 1,
      maxIncludedVersion: 1,
      patches: [
        { op: "set", key: "counter", value: 1 },
        { op: "del", key: "counter" },
        { op: "del", key: "todos/a" },
        { op: "set", key: "todos/a", value: todo("a") },
      ],
    });
    await s1.close();
    const s2 = open(provider.open("y"));
    await s2.ready;
    expect(all(s2)).toEqual({ "todos/a": todo("a") });
  });

  it("rejects mutations and reads after close, and lets go of its state", async () => {
    const s = open();
    await s.ready;
    await s.mutate("increment", 1);
    expect(s.readTransaction().read("counter")).toBe(1);
    await s.close();
    await expect(s.mutate("increment", 1)).rejects.toMatchObject({ code: "closed" });
    expect(() => s.readTransaction()).toThrow(expect.objectContaining({ code: "closed" }));
    expect([...s.baseEntries()]).toEqual([]);
    expect(s.pendingCount()).toBe(0);
  });
});

describe("LocalStore load failure", () => {
  it("rejects ready and every mutation when persisted state cannot be loaded", async () => {
    const broken: Persistence = {
      load: () => Promise.reject(new Error("disk gone")),
      write: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const s = open(broken);
    await expect(s.ready).rejects.toThrow("disk gone");
    await expect(s.mutate("increment", 1)).rejects.toThrow("disk gone");
    expect(s.pendingCount()).toBe(0);
  });
});

describe("LocalStore rebase cost", () => {
  it("re-runs only the pending mutations that read what an update changed", async () => {
    const runs: string[] = [];
    const def = defineStore({ name: "r", keys: { "n/*": z.number() } }).mutators({
      bump: {
        args: z.string(),
        run: async (tx, k) => {
          runs.push(k);
          await tx.set(`n/${k}`, ((await tx.get(`n/${k}`)) ?? 0) + 1);
        },
      },
    });
    const s = new LocalStore({
      definition: def,
      userId: "u",
      clientId: "c",
      persistence: memoryPersistence().open("r"),
    });
    for (const k of ["a", "b", "a", "c"]) await s.mutate("bump", k);
    runs.length = 0;
    await s.applyServerUpdate({
      minIncludedVersion: 1,
      maxIncludedVersion: 1,
      patches: [{ op: "set", key: "n/a", value: 10 }],
    });
    // Both "a" bumps read n/a; "b" and "c" keep their effect without running.
    expect(runs).toEqual(["a", "a"]);
    expect(all(s)).toEqual({ "n/a": 12, "n/b": 1, "n/c": 1 });
    runs.length = 0;
    // Acknowledging the first "a" bump removes its effect under the second one, which re-runs.
    await s.applyServerUpdate({
      minIncludedVersion: 2,
      maxIncludedVersion: 2,
      patches: [{ op: "set", key: "n/a", value: 11 }],
      lastMutationId: 1,
    });
    expect(runs).toEqual(["a"]);
    expect(all(s)).toEqual({ "n/a": 12, "n/b": 1, "n/c": 1 });
    runs.length = 0;
    await s.applyServerUpdate({ minIncludedVersion: 0, maxIncludedVersion: 3, patches: [{ op: "reset" }] });
    expect(runs).toEqual(["b", "a", "c"]);
  });
});
