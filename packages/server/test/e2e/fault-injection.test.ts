import { afterEach, it } from "vitest";
import { seedFromEnv } from "../helpers/seeded-random.js";
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
