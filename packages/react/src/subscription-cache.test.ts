import { createStore, defineStore, type AnyStoreDefinition, type Store } from "@synced-store/core";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { SubscriptionCache, type CacheTimers } from "./subscription-cache.js";

const def = defineStore({ name: "t", keys: { "n/*": z.number() } }).mutators({
  set: { args: z.object({ k: z.string(), v: z.number() }), run: (tx, a) => tx.set(`n/${a.k}`, a.v) },
});

/** Timers the test fires by hand. */
function manualTimers(): CacheTimers & { fire(): void; pending(): number } {
  const due = new Map<number, () => void>();
  let next = 1;
  return {
    setTimeout: (fn) => (due.set(next, fn), next++),
    clearTimeout: (handle) => void due.delete(handle as number),
    fire: () => {
      const fns = [...due.values()];
      due.clear();
      for (const fn of fns) fn();
    },
    pending: () => due.size,
  };
}

function setup() {
  const store = createStore(def, { space: "s", userId: "u" });
  const subscribe = vi.spyOn(store, "subscribe");
  const timers = manualTimers();
  const cache = new SubscriptionCache(store as unknown as Store<AnyStoreDefinition>, {
    timers,
    gcTimeMs: 10,
  });
  return { store, subscribe, timers, cache };
}

const readA = (tx: { get(key: string): Promise<unknown> }) => tx.get("n/a");

describe("SubscriptionCache", () => {
  it("counts listeners and ends the store subscription only after the last one leaves and gc time passes", async () => {
    const { store, subscribe, timers, cache } = setup();
    const shared = cache.acquire(readA, []);
    const stop1 = shared.subscribe(() => undefined);
    const stop2 = cache.acquire(readA, []).subscribe(() => undefined);
    expect(subscribe).toHaveBeenCalledTimes(1);
    expect(shared.listenerCount).toBe(2);
    stop1();
    timers.fire();
    expect(shared.active).toBe(true);
    stop2();
    expect(shared.active).toBe(true);
    timers.fire();
    expect(shared.active).toBe(false);
    expect(cache.size).toBe(0);
    await store.close();
  });

  it("keeps a query whose listener comes back before gc, and reopens a collected one", async () => {
    const { store, subscribe, timers, cache } = setup();
    const shared = cache.acquire(readA, []);
    shared.subscribe(() => undefined)();
    const again = shared.subscribe(() => undefined);
    timers.fire();
    expect(shared.active).toBe(true);
    again();
    timers.fire();
    expect(shared.active).toBe(false);
    // A component that rendered before the collection and subscribes after it.
    const listener = vi.fn();
    shared.subscribe(listener);
    expect(shared.active).toBe(true);
    expect(cache.size).toBe(1);
    expect(subscribe).toHaveBeenCalledTimes(2);
    await store.mutate.set({ k: "a", v: 1 });
    await vi.waitFor(() => expect(shared.getSnapshot()).toEqual({ status: "success", data: 1 }));
    expect(listener).toHaveBeenCalled();
    await store.close();
  });

  it("tells queries apart by deps and by explicit key", async () => {
    const { store, cache } = setup();
    expect(cache.acquire(readA, [1])).not.toBe(cache.acquire(readA, [2]));
    expect(cache.acquire(readA, [1])).toBe(cache.acquire(readA, [1]));
    expect(cache.acquire(readA, [], "x")).not.toBe(cache.acquire(readA, [], "y"));
    expect(cache.size).toBe(4);
    await store.close();
  });
});
