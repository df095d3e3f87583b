import { describe, expect, it, vi } from "vitest";
import { todoStore } from "../../test/todo-definition.js";
import { memoryPersistence } from "../persistence/memory-persistence.js";
import { LocalStore } from "../store/local-store.js";
import type { ReadTransaction } from "../store/transaction.js";
import { SubscriptionManager } from "./subscription-manager.js";

function setup() {
  const store = new LocalStore({
    definition: todoStore,
    userId: "u1",
    clientId: "c1",
    persistence: memoryPersistence().open("s"),
  });
  const errors: unknown[] = [];
  const subs = new SubscriptionManager(store, (e) => errors.push(e));
  /** Subscribes `query`, counting its runs, and waits for the first result. */
  async function live<T>(query: (tx: ReadTransaction) => Promise<T>) {
    const runs = { count: 0 };
    const onData = vi.fn<(r: T) => void>();
    const unsubscribe = subs.subscribe((tx) => {
      runs.count++;
      return query(tx);
    }, onData);
    await vi.waitFor(() => expect(onData).toHaveBeenCalled());
    return { runs, onData, unsubscribe };
  }
  /** Lets scheduled re-runs finish (they only await already-resolved reads). */
  const settle = () =>
    store
      .readTransaction()
      .get("")
      .then(() => new Promise((r) => setTimeout(r, 0)));
  return { store, subs, live, settle, errors };
}

describe("SubscriptionManager", () => {
  it("re-runs only queries whose reads intersect the change", async () => {
    const { store, live, settle } = setup();
    const a = await live((tx) => tx.get("todos/a"));
    const b = await live((tx) => tx.get("todos/b"));
    const scan = await live((tx) => tx.scan({ prefix: "todos/" }));
    const counter = await live((tx) => tx.get("counter"));
    await store.mutate("addTodo", { id: "a", text: "A" });
    await settle();
    expect([a.runs.count, b.runs.count, scan.runs.count, counter.runs.count]).toEqual([2, 1, 2, 1]);
    expect(a.onData).toHaveBeenLastCalledWith({ id: "a", text: "A", done: false });
    expect(b.onData).toHaveBeenCalledTimes(1);
  });

  it("does not call onData when the new result is deep-equal, keeping the old identity", async () => {
    const { store, live, settle } = setup();
    await store.mutate("addTodo", { id: "a", text: "A" });
    const s = await live((tx) => tx.scan({ prefix: "todos/" }));
    const first = s.onData.mock.calls[0]![0];
    await store.mutate("addTodo", { id: "a", text: "A" });
    await store.applyServerUpdate({
      minIncludedVersion: 1,
      maxIncludedVersion: 1,
      patches: [{ op: "set", key: "todos/a", value: { id: "a", text: "A", done: false } }],
      lastMutationId: 2,
    });
    await settle();
    expect(s.onData).toHaveBeenCalledTimes(1);
    expect(s.onData.mock.calls[0]![0]).toBe(first);
  });

  it("bounds a limited scan's range by the last key it returned", async () => {
    const { store, live, settle } = setup();
    for (const id of ["a", "b", "c"]) await store.mutate("addTodo", { id, text: id });
    const s = await live((tx) => tx.scan({ prefix: "todos/", limit: 2 }));
    await store.mutate("addTodo", { id: "d", text: "d" });
    await settle();
    expect(s.runs.count).toBe(1);
    await store.mutate("addTodo", { id: "a0", text: "x" });
    await settle();
    expect(s.runs.count).toBe(2);
    expect(s.onData.mock.lastCall![0].map((e) => e.key)).toEqual(["todos/a", "todos/a0"]);
  });

  it("follows server updates and rebases", async () => {
    const { store, live, settle } = setup();
    const c = await live((tx) => tx.get("counter"));
    await store.mutate("increment", 1);
    await store.applyServerUpdate({
      minIncludedVersion: 1,
      maxIncludedVersion: 1,
      patches: [{ op: "set", key: "counter", value: 100 }],
    });
    await settle();
    expect(c.onData.mock.calls.map((call) => call[0])).toEqual([undefined, 1, 101]);
  });

  it("reports query errors, and stops after unsubscribe", async () => {
    const { store, subs, live, settle, errors } = setup();
    const onError = vi.fn();
    subs.subscribe(() => Promise.reject(new Error("boom")), vi.fn(), onError);
    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith(new Error("boom")));
    const c = await live((tx) => tx.get("counter"));
    c.unsubscribe();
    await store.mutate("increment", 1);
    await settle();
    expect(c.runs.count).toBe(1);
    expect(errors).toEqual([]);
    expect(subs.size).toBe(1);
  });

  it("routes a throwing onData to the store's onError and keeps going", async () => {
    const { store, subs, settle, errors } = setup();
    let calls = 0;
    subs.subscribe(
      (tx) => tx.get("counter"),
      () => {
        calls++;
        throw new Error("listener");
      },
    );
    await vi.waitFor(() => expect(calls).toBe(1));
    await store.mutate("increment", 1);
    await settle();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(2);
  });

  it("re-runs a query the store changed under while it ran, so no mixed state is delivered", async () => {
    const { store, subs, settle } = setup();
    let release!: () => void;
    let gate: Promise<void> | undefined = new Promise<void>((r) => (release = r));
    const onData = vi.fn();
    subs.subscribe(async (tx) => {
      const first = await tx.get("counter");
      if (gate) await gate;
      const second = await tx.get("counter");
      return [first, second];
    }, onData);
    await settle();
    await store.mutate("increment", 5);
    gate = undefined;
    release();
    await settle();
    expect(onData.mock.calls.map((c) => c[0] as unknown)).toEqual([[5, 5]]);
  });
});
