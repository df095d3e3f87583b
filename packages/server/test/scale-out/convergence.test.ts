import { assertConverged } from "@synced-store/core/testing";
import { expect, it, vi } from "vitest";
import { seededRandom } from "../helpers/seeded-random.js";
import { anyStores, startCluster, within, type TestStore } from "../support/scale-out-cluster.js";

const SEED = Number(process.env.SEED ?? Math.floor(Math.random() * 2 ** 31));

it(`converges across three server processes through a faulty network (seed ${SEED})`, async () => {
  console.log(`scale-out convergence seed: ${SEED} (replay with SEED=${SEED})`);
  const random = seededRandom(SEED);
  await using cluster = await startCluster({
    processes: 3,
    seed: SEED,
    faults: { delayMs: [0, 8], reorderRate: 0.05, duplicateRate: 0.05, dropRate: 0.02, cutRate: 0.01 },
  });
  const users = ["ann", "ben", "cat"];
  const stores: TestStore[] = users.flatMap((u) => [cluster.store(u, "conv"), cluster.store(u, "conv")]);
  const confirmed: Promise<void>[] = [];
  let incremented = 0;
  for (let step = 0; step < 240; step++) {
    const store = stores[Math.floor(random() * stores.length)]!;
    const pick = random();
    const id = String(Math.floor(random() * 8));
    if (pick < 0.4) {
      confirmed.push(
        (await store.mutate.setItem({ id, text: `${store.clientId.slice(0, 4)}-${step}` })).confirmed,
      );
    } else if (pick < 0.55) {
      confirmed.push((await store.mutate.delItem({ id })).confirmed);
    } else if (pick < 0.8) {
      const by = 1 + Math.floor(random() * 3);
      incremented += by;
      confirmed.push((await store.mutate.increment({ by })).confirmed);
    } else {
      confirmed.push((await store.mutate.setNote({ text: `note ${step}` })).confirmed);
    }
    if (random() < 0.3) await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 6)));
  }
  // Heal the network; every mutation must then be acknowledged, none rejected.
  cluster.proxy.setFaults({});
  cluster.proxy.cutAll();
  const outcomes = await within(60_000, "every mutation confirmed", Promise.allSettled(confirmed));
  expect(outcomes.filter((o) => o.status === "rejected")).toEqual([]);
  console.log("proxy", JSON.stringify(cluster.proxy.stats));
  // The clients spread over all three processes.
  expect(new Set(cluster.routed).size).toBe(3);

  await vi.waitFor(
    async () => {
      const state = await cluster.serverState("test/conv");
      await assertConverged(anyStores(stores), state);
    },
    { timeout: 30_000, interval: 100 },
  );
  const state = await cluster.serverState("test/conv");
  // Exactly once: every increment counted once, whatever was duplicated, dropped or resent.
  expect(state.get("counter")).toBe(incremented);
});
