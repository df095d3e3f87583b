import { describe, expect, it } from "vitest";
import { z } from "zod";
import { todoV1, todoV2, todoV3 } from "../../test/todo-versions.js";
import type { MutationRejectedError } from "../errors.js";
import type { PersistBatch, Persistence } from "../kv/persistence.js";
import { memoryPersistence } from "../persistence/memory-persistence.js";
import { defineStore, type AnyStoreDefinition } from "../schema/define-store.js";
import { RETIRED_MUTATION } from "../schema/upgrades.js";
import { LocalStore } from "./local-store.js";

const open = (definition: AnyStoreDefinition, persistence: Persistence) =>
  new LocalStore({ definition, userId: "u", clientId: "c", persistence, now: () => 7 });
const all = (s: LocalStore) =>
  Object.fromEntries(
    s
      .readTransaction()
      .readScan()
      .map((e) => [e.key, e.value]),
  );
const base = (s: LocalStore) => Object.fromEntries(s.baseEntries());
const rejections = (s: LocalStore) => {
  const seen: MutationRejectedError[] = [];
  s.onRejection((e) => seen.push(e));
  return seen;
};
const microtasks = () => new Promise((r) => setTimeout(r, 0));

/** A v1 client that synced two todos and a counter, then queued four calls offline. */
async function v1Client(persistence: Persistence) {
  const s = open(todoV1, persistence);
  await s.ready;
  await s.applyServerUpdate({
    minIncludedVersion: 1,
    maxIncludedVersion: 5,
    patches: [
      { op: "set", key: "todos/a", value: { id: "a", text: "A", done: false } },
      { op: "set", key: "todos/b", value: { id: "b", text: "B", done: false } },
      { op: "set", key: "counter", value: 10 },
    ],
  });
  await s.mutate("addTodo", { id: "c", text: "C" });
  await s.mutate("toggle", { id: "a" });
  await s.mutate("archive", { id: "b" });
  await s.mutate("increment", 1);
  expect(all(s)).toEqual({
    counter: 11,
    "todos/a": { id: "a", text: "A", done: true },
    "todos/c": { id: "c", text: "C", done: false },
  });
  await s.close();
}

describe("LocalStore opened under a newer definition", () => {
  it("upgrades base and queue in one persisted step, rejects a retired call locally, and does not upgrade twice", async () => {
    const provider = memoryPersistence();
    await v1Client(provider.open("p"));

    const v2 = open(todoV2, provider.open("p"));
    const seen = rejections(v2);
    await v2.ready;
    await microtasks();
    expect(base(v2)).toEqual({
      counter: 10,
      "todos/a": { id: "a", text: "A", done: false, priority: "normal" },
      "todos/b": { id: "b", text: "B", done: false, priority: "normal" },
    });
    // Visible = upgraded base + upgraded queue: the retired archive has no effect any more.
    expect(all(v2)).toEqual({
      counter: 11,
      "todos/a": { id: "a", text: "A", done: true, priority: "normal" },
      "todos/b": { id: "b", text: "B", done: false, priority: "normal" },
      "todos/c": { id: "c", text: "C", done: false, priority: "normal" },
    });
    expect(v2.pendingMutations(0)).toEqual([
      { id: 1, name: "addTodo", args: { id: "c", text: "C", priority: "normal" }, timestamp: 7 },
      { id: 2, name: "toggleDone", args: { id: "a" }, timestamp: 7 },
      { id: 3, name: RETIRED_MUTATION, args: { mutator: "archive", code: "mutator_retired" }, timestamp: 7 },
      { id: 4, name: "increment", args: 1, timestamp: 7 },
    ]);
    expect(seen.map((e) => [e.code, e.mutationId, e.mutatorName, e.message])).toEqual([
      [
        "mutator_retired",
        3,
        "archive",
        "archive was retired in version 2: archiving is gone; delete the todo instead",
      ],
    ]);
    expect(v2.baseVersion()).toBe(5);
    const v2State = all(v2); // a closed store lets go of its state
    await v2.close();

    const persisted = await provider.open("p").load();
    expect(persisted?.meta.definitionVersion).toBe(2);
    // Reopened under v2 again: nothing more to upgrade, nothing rejected again.
    const again = open(todoV2, provider.open("p"));
    const seenAgain = rejections(again);
    await again.ready;
    await microtasks();
    expect(all(again)).toEqual(v2State);
    expect(seenAgain).toEqual([]);
    await again.close();

    // And on to v3 (a renamed field, a split family), skipping nothing.
    const v3 = open(todoV3, provider.open("p"));
    await v3.ready;
    expect(all(v3)).toEqual({
      counter: 11,
      "todos/a": { id: "a", title: "A", done: true },
      "todos/b": { id: "b", title: "B", done: false },
      "todos/c": { id: "c", title: "C", done: false },
      "priorities/a": "normal",
      "priorities/b": "normal",
      "priorities/c": "normal",
    });
    await v3.close();
  });

  it("a crash during the upgrade loses nothing and the next open upgrades once", async () => {
    const provider = memoryPersistence();
    const counterV1 = defineStore({ name: "n", keys: { n: z.number() } }).mutators({
      add: { args: z.number(), run: async (tx, by) => tx.set("n", ((await tx.get("n")) ?? 0) + by) },
    });
    // Not idempotent on purpose: applied twice, it would show.
    const counterV2 = defineStore({
      name: "n",
      version: 2,
      keys: { n: z.number() },
      upgrades: {
        2: { values: { n: (n: number) => n * 10 }, mutators: { add: { args: (by: number) => by * 10 } } },
      },
    }).mutators({
      add: { args: z.number(), run: async (tx, by) => tx.set("n", ((await tx.get("n")) ?? 0) + by) },
    });
    const s = open(counterV1, provider.open("p"));
    await s.ready;
    await s.applyServerUpdate({
      minIncludedVersion: 1,
      maxIncludedVersion: 1,
      patches: [{ op: "set", key: "n", value: 1 }],
    });
    await s.mutate("add", 2);
    await s.close();

    // The process dies while writing the upgrade batch: it never lands.
    const inner = provider.open("p");
    const crashing: Persistence = {
      load: () => inner.load(),
      write: (batch: PersistBatch) =>
        batch.meta?.definitionVersion === 2 ? Promise.reject(new Error("power cut")) : inner.write(batch),
      close: () => inner.close(),
    };
    const crashed = open(counterV2, crashing);
    await expect(crashed.ready).rejects.toThrow("power cut");
    await expect(crashed.mutate("add", 1)).rejects.toThrow();
    expect((await provider.open("p").load())?.meta.definitionVersion).toBe(1);

    for (let i = 0; i < 2; i++) {
      const reopened = open(counterV2, provider.open("p"));
      await reopened.ready;
      expect(base(reopened)).toEqual({ n: 10 });
      expect(all(reopened)).toEqual({ n: 30 });
      expect(reopened.pendingMutations(0)).toEqual([{ id: 1, name: "add", args: 20, timestamp: 7 }]);
      await reopened.close();
    }
  });

  it("discards the base (to pull afresh) when an upgraded value fails the new schema, keeping the queue", async () => {
    const provider = memoryPersistence();
    await v1Client(provider.open("p"));
    const strict = defineStore({
      name: "vtodo",
      version: 2,
      keys: {
        "todos/*": z.object({ id: z.string(), text: z.string(), done: z.boolean(), priority: z.string() }),
        counter: z.number(),
      },
      // No values upgrade given: v1 todos lack `priority`.
      upgrades: { 2: { mutators: todoV2.upgrades[2]?.mutators ?? {} } },
    }).mutators(todoV2.mutatorDefs as never);
    const s = open(strict, provider.open("p"));
    await s.ready;
    expect(base(s)).toEqual({});
    expect(s.baseVersion()).toBe(0);
    expect(s.pendingMutations(0).map((m) => m.name)).toEqual([
      "addTodo",
      "toggleDone",
      RETIRED_MUTATION,
      "increment",
    ]);
    await s.close();
  });

  it("refetchBase discards the base even when values would upgrade", async () => {
    const provider = memoryPersistence();
    await v1Client(provider.open("p"));
    const refetching = defineStore({
      name: "vtodo",
      version: 2,
      keys: todoV2.keys,
      upgrades: { 2: { ...todoV2.upgrades[2], refetchBase: true } },
    }).mutators(todoV2.mutatorDefs);
    const s = open(refetching, provider.open("p"));
    await s.ready;
    expect(base(s)).toEqual({});
    expect(s.pendingCount()).toBe(4);
    await s.close();
  });

  it("refuses state a newer version of the app wrote, and leaves it untouched", async () => {
    const provider = memoryPersistence();
    await v1Client(provider.open("p"));
    const v2 = open(todoV2, provider.open("p"));
    await v2.ready;
    await v2.close();
    const before = await provider.open("p").load();
    const old = open(todoV1, provider.open("p"));
    await expect(old.ready).rejects.toMatchObject({ code: "persisted_version_ahead" });
    await expect(old.mutate("increment", 1)).rejects.toThrow();
    await old.close();
    expect(await provider.open("p").load()).toEqual(before);
  });
});
