import "fake-indexeddb/auto";
import { describe, expect, it, vi } from "vitest";
import { broadcastTabChannels } from "./broadcast-tab-channel.js";
import { idbClientRegistry } from "./idb-client-registry.js";
import { memoryTabLocks, type TabLocks } from "./tab-locks.js";
import { webTabLocks, type LockManagerLike } from "./web-tab-locks.js";

/** A Web Locks stand-in with the API's semantics: exclusive, FIFO, held while the callback runs. */
function fakeLockManager(): LockManagerLike {
  const held = new Set<string>();
  const queues = new Map<string, Array<() => void>>();
  return {
    async request(name, options, callback) {
      if (held.has(name)) {
        if (options.ifAvailable) return callback(null);
        await new Promise<void>((resolve, reject) => {
          const queue = queues.get(name) ?? [];
          queue.push(resolve);
          queues.set(name, queue);
          options.signal?.addEventListener("abort", () => {
            queue.splice(queue.indexOf(resolve), 1);
            reject(options.signal?.reason as Error);
          });
        });
      }
      held.add(name);
      try {
        return await callback({ name });
      } finally {
        held.delete(name);
        queues.get(name)?.shift()?.();
      }
    },
  };
}

function lockContract(name: string, make: () => TabLocks) {
  describe(name, () => {
    it("is exclusive, hands a freed lock to the next waiter, and lets a waiter give up", async () => {
      const locks = make();
      const release = (await locks.tryAcquire("a"))!;
      expect(release).toBeTypeOf("function");
      expect(await locks.tryAcquire("a")).toBeNull();
      expect(await locks.tryAcquire("b")).not.toBeNull();

      const abort = new AbortController();
      const gaveUp = locks.acquire("a", abort.signal);
      abort.abort(new Error("no longer needed"));
      await expect(gaveUp).rejects.toThrow("no longer needed");

      const waiter = vi.fn();
      const next = locks.acquire("a").then((r) => (waiter(), r));
      await Promise.resolve();
      expect(waiter).not.toHaveBeenCalled();
      release();
      const releaseNext = await next;
      expect(waiter).toHaveBeenCalledTimes(1);
      expect(await locks.tryAcquire("a")).toBeNull();
      releaseNext();
      releaseNext();
      // Web Locks release asynchronously.
      await vi.waitFor(async () => expect(await locks.tryAcquire("a")).not.toBeNull());
    });
  });
}

lockContract("memoryTabLocks", memoryTabLocks);
lockContract("webTabLocks over the Web Locks API", () => webTabLocks(fakeLockManager())!);

describe("adapters", () => {
  it("webTabLocks and broadcastTabChannels are absent where the runtime has no such API", () => {
    vi.stubGlobal("BroadcastChannel", undefined);
    vi.stubGlobal("navigator", {});
    try {
      expect(webTabLocks()).toBeUndefined();
      expect(broadcastTabChannels()).toBeUndefined();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("a broadcast channel delivers to other instances only, and stops after close", async () => {
    const channels = broadcastTabChannels(BroadcastChannel)!;
    const name = `adapters-${Math.random()}`;
    const [a, b] = [channels(name), channels(name)];
    const atA = vi.fn();
    const atB = vi.fn();
    a.onMessage(atA);
    const stopB = b.onMessage(atB);
    a.post({ n: 1 });
    await vi.waitFor(() => expect(atB).toHaveBeenCalledWith({ n: 1 }));
    stopB();
    b.post({ n: 2 });
    await vi.waitFor(() => expect(atA).toHaveBeenCalledWith({ n: 2 }));
    a.post({ n: 3 });
    a.close();
    b.close();
    expect(atA).toHaveBeenCalledTimes(1);
    expect(atB).toHaveBeenCalledTimes(1);
  });

  it("idbClientRegistry keeps ids in order, once each, per name, across concurrent adds", async () => {
    const one = idbClientRegistry("todo/a/u", "registry-test");
    const again = idbClientRegistry("todo/a/u", "registry-test");
    await Promise.all([one.add("c1"), again.add("c2"), one.add("c1")]);
    expect((await again.list()).sort()).toEqual(["c1", "c2"]);
    expect(await idbClientRegistry("todo/b/u", "registry-test").list()).toEqual([]);
  });
});
