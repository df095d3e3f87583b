import { afterEach, it } from "vitest";
import { seedFromEnv } from "@synced-store/server/testing";
import { runFaultInjection } from "./fault-injection-scenario.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it("converges exactly once under delayed, reordered, duplicated and dropped frames and cut connections", async () => {
  const seed = seedFromEnv();
  console.log(`fault injection seed ${seed}; replay with SEED=${seed}`);
  const stats = await runFaultInjection({ seed, onCleanup: (c) => cleanups.push(c) });
  console.log(`fault injection (seed ${seed}): ${JSON.stringify(stats)}`);
}, 120_000);

it("converges under heavy faults: a third of frames reordered, 10% dropped, 3% cutting the connection", async () => {
  const seed = seedFromEnv();
  console.log(`heavy fault injection seed ${seed}; replay with SEED=${seed}`);
  const stats = await runFaultInjection({
    seed,
    onCleanup: (c) => cleanups.push(c),
    clients: 4,
    mutationsPerClient: 30,
    faults: { delayMs: [0, 30], reorderRate: 0.33, duplicateRate: 0.1, dropRate: 0.1, cutRate: 0.03 },
  });
  console.log(`heavy fault injection (seed ${seed}): ${JSON.stringify(stats)}`);
}, 120_000);
