import { assertConverged } from "@synced-store/core/testing";
import { describe, expect, it, vi } from "vitest";
import { anyStores, startCluster, within, type TestStore } from "../support/scale-out-cluster.js";
import { servicesReady } from "../support/services.js";

const ready = await servicesReady("postgres", "redis");

describe.skipIf(!ready)("process crash (needs PostgreSQL and Redis)", () => {
  it.each(["postgres", "redis"] as const)(
    "loses nothing acknowledged when a process is killed mid-stream; its clients move to the others (%s bus)",
    async (bus) => {
      await using cluster = await startCluster({ processes: 3, seed: 1, bus });
      const stores: TestStore[] = ["ann", "ben", "cat"].flatMap((u) => [
        cluster.store(u, "crash"),
        cluster.store(u, "crash"),
      ]);
      const perStore = 40;
      const acked = new Set<string>();
      const confirmed: Promise<void>[] = [];
      let killedAt = -1;
      const writer = async (store: TestStore, s: number) => {
        for (let i = 0; i < perStore; i++) {
          const id = `${s}-${i}`;
          const { confirmed: c } = await store.mutate.setItem({ id, text: `from ${s}` });
          confirmed.push(c.then(() => void acked.add(id)));
          confirmed.push((await store.mutate.increment({ by: 1 })).confirmed);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      };
      const writing = Promise.all(stores.map(writer));
      // Kill the first process once a good share of the writes is acknowledged.
      await vi.waitFor(() => expect(acked.size).toBeGreaterThanOrEqual(60), {
        timeout: 30_000,
        interval: 10,
      });
      const victim = cluster.processes[0]!;
      const ackedBeforeKill = new Set(acked);
      await cluster.kill(victim);
      killedAt = ackedBeforeKill.size;
      await within(60_000, "writers finished", writing);
      const outcomes = await within(60_000, "every mutation confirmed", Promise.allSettled(confirmed));
      expect(outcomes.filter((o) => o.status === "rejected")).toEqual([]);
      // Some clients were on the killed process, and reconnected to the others.
      expect(cluster.routed.slice(0, stores.length)).toContain(victim);
      expect(cluster.routed.slice(stores.length).every((p) => p !== victim)).toBe(true);

      const state = await cluster.serverState("test/crash");
      for (const id of ackedBeforeKill)
        expect(state.get(`items/${id}`)).toEqual({ text: `from ${id.split("-")[0]}` });
      const items = [...state.keys()].filter((k) => k.startsWith("items/"));
      expect(items.length).toBe(stores.length * perStore);
      expect(state.get("counter")).toBe(stores.length * perStore);
      expect(killedAt).toBeGreaterThan(0);
      await vi.waitFor(
        async () => assertConverged(anyStores(stores), await cluster.serverState("test/crash")),
        {
          timeout: 30_000,
          interval: 100,
        },
      );
    },
  );
});
