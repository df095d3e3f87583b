import { describe, expect, it, vi } from "vitest";
import { createMemoryStorage } from "../storage/memory.js";
import type { Storage } from "../storage/storage.js";
import type { Bus } from "./bus.js";
import { MemoryBusNetwork } from "./memory-bus.js";
import { VersionWatcher } from "./version-watcher.js";

async function commit(storage: Storage, space: string, version: number) {
  await storage.transact(space, async (tx) => {
    await tx.head();
    await tx.setVersion(version);
  });
}

describe("VersionWatcher", () => {
  it("reports each version once, in increasing order, ignoring stale and own notices", async () => {
    const network = new MemoryBusNetwork();
    const [mine, other] = [network.join(), network.join()];
    const advanced: Array<[string, number]> = [];
    const watcher = new VersionWatcher({
      bus: mine,
      storage: createMemoryStorage(),
      spaces: () => [],
      onAdvance: (s, v) => void advanced.push([s, v]),
      pollIntervalMs: 0,
    });
    watcher.committed("a/1", 2);
    await other.publish("a/1", 2); // the same version again: already known
    await other.publish("a/1", 1); // stale
    await other.publish("a/1", 3);
    await other.publish("a/1", 3); // duplicate
    await other.publish("b/1", 1);
    await vi.waitFor(() =>
      expect(advanced).toEqual([
        ["a/1", 3],
        ["b/1", 1],
      ]),
    );
    watcher.close();
    await other.publish("a/1", 9);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(advanced).toEqual([
      ["a/1", 3],
      ["b/1", 1],
    ]);
  });

  it("publishes its commits, and reports a failed publish instead of throwing", async () => {
    const network = new MemoryBusNetwork();
    const mine = network.join();
    const other = network.join();
    const heard: number[] = [];
    other.subscribe({ onVersion: (n) => heard.push(n.version), onResync: () => undefined });
    const onError = vi.fn();
    const watcher = new VersionWatcher({
      bus: mine,
      storage: createMemoryStorage(),
      spaces: () => [],
      onAdvance: () => undefined,
      pollIntervalMs: 0,
      onError,
    });
    watcher.committed("a/1", 1);
    await vi.waitFor(() => expect(heard).toEqual([1]));
    network.sever(mine);
    watcher.committed("a/1", 2);
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(1));
    expect(String(onError.mock.calls[0]![0])).toMatch(/disconnected/);
    watcher.close();
  });

  it("polls storage for served spaces, catching commits whose notice never came", async () => {
    vi.useFakeTimers();
    try {
      const storage = createMemoryStorage();
      const silent: Bus = new MemoryBusNetwork().join();
      const advanced: Array<[string, number]> = [];
      let served = ["a/1", "b/1"];
      const watcher = new VersionWatcher({
        bus: silent,
        storage,
        spaces: () => served,
        onAdvance: (s, v) => void advanced.push([s, v]),
        pollIntervalMs: 1000,
      });
      await commit(storage, "a/1", 4);
      await vi.advanceTimersByTimeAsync(1000);
      expect(advanced).toEqual([["a/1", 4]]);
      // No change, nothing reported; a space no longer served is not read.
      served = ["b/1"];
      await commit(storage, "a/1", 5);
      await commit(storage, "b/1", 1);
      await vi.advanceTimersByTimeAsync(1000);
      expect(advanced).toEqual([
        ["a/1", 4],
        ["b/1", 1],
      ]);
      watcher.close();
      await commit(storage, "b/1", 2);
      await vi.advanceTimersByTimeAsync(3000);
      expect(advanced).toEqual([
        ["a/1", 4],
        ["b/1", 1],
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("isolates a throwing onAdvance and a failing storage read", async () => {
    const network = new MemoryBusNetwork();
    const bus = network.join();
    const storage = createMemoryStorage();
    await commit(storage, "a/1", 1);
    const onError = vi.fn();
    const broken: Storage = { ...storage, read: () => Promise.reject(new Error("database down")) };
    const watcher = new VersionWatcher({
      bus,
      storage: broken,
      spaces: () => ["a/1"],
      onAdvance: () => {
        throw new Error("engine bug");
      },
      pollIntervalMs: 0,
      onError,
    });
    await network.join().publish("a/1", 1);
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(1));
    await watcher.resync();
    expect(onError.mock.calls.map(([e]) => String(e))).toEqual(["Error: engine bug", "Error: database down"]);
    watcher.close();
  });
  it("reports a version again after its catch-up failed", async () => {
    const storage = createMemoryStorage();
    await commit(storage, "a/1", 3);
    const onError = vi.fn();
    const attempts: number[] = [];
    const watcher = new VersionWatcher({
      bus: new MemoryBusNetwork().join(),
      storage,
      spaces: () => ["a/1"],
      onAdvance: (_, version) => {
        attempts.push(version);
        return attempts.length === 1 ? Promise.reject(new Error("storage hiccup")) : Promise.resolve();
      },
      pollIntervalMs: 0,
      onError,
    });
    await watcher.resync();
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(1));
    await watcher.resync();
    await watcher.resync(); // caught up now: not reported a third time
    expect(attempts).toEqual([3, 3]);
    watcher.close();
  });
  it("reads the versions of many served spaces a few at a time", async () => {
    const storage = createMemoryStorage();
    const spaces = Array.from({ length: 20 }, (_, i) => `s/${i}`);
    for (const space of spaces) await commit(storage, space, 1);
    let reading = 0;
    let most = 0;
    const counting: Storage = {
      ...storage,
      read: async (spaceId, fn) => {
        most = Math.max(most, ++reading);
        await new Promise((resolve) => setTimeout(resolve, 1));
        try {
          return await storage.read(spaceId, fn);
        } finally {
          reading--;
        }
      },
    };
    const advanced: string[] = [];
    const watcher = new VersionWatcher({
      bus: new MemoryBusNetwork().join(),
      storage: counting,
      spaces: () => spaces,
      onAdvance: (space) => void advanced.push(space),
      pollIntervalMs: 0,
    });
    await watcher.resync();
    expect(advanced.sort()).toEqual([...spaces].sort());
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
    watcher.close();
  });
});
