/**
 * Rebase: 10 / 100 / 1,000 pending mutations and a 100-key patch on a 100k-key store; pending
 * mutations whose reads the patch misses keep their effect, so a last case makes every one re-run.
 */
import { report, summarize, type BenchResult } from "../../../../scripts/bench-kit.js";
import { benchStore, itemKey } from "./bench-store.js";

const SIZE = 100_000;
const results: BenchResult[] = [];
for (const pendingCount of [10, 100, 1000]) {
  const { store, target } = await benchStore(SIZE);
  for (let i = 0; i < pendingCount; i++) {
    // Half read-modify-write one shared counter, half overwrite spread-out keys (some patched).
    if (i % 2 === 0) await store.mutate.increment(1);
    else await store.mutate.setRaw({ key: itemKey((i * 97) % SIZE), value: i });
  }
  const samples: number[] = [];
  let version = 1;
  for (let round = 0; round < 80; round++) {
    const patches = Array.from({ length: 100 }, (_, j) => ({
      op: "set" as const,
      key: itemKey((round * 1000 + j * 7) % SIZE),
      value: round * 1000 + j,
    }));
    const t0 = performance.now();
    await target.applyServerUpdate({
      minIncludedVersion: version + 1,
      maxIncludedVersion: version + 1,
      patches,
    });
    samples.push(performance.now() - t0);
    version++;
  }
  const timing = summarize(samples.slice(10));
  results.push({
    name: `rebase ${pendingCount} pending + 100-key patch`,
    workload: `${SIZE} keys; ${pendingCount} pending mutations (increment / setRaw alternating); patch of 100 sets`,
    timing,
    target: pendingCount === 1000 ? "≤ 5 ms at 1,000 pending" : "grows with pending, not store size",
    met: pendingCount === 1000 ? timing.medianMs <= 5 : true,
  });
  await store.close();
}
// Worst case: every pending mutation reads a key each patch changes, so every one runs again.
{
  const { store, target } = await benchStore(SIZE);
  for (let i = 0; i < 1000; i++) await store.mutate.increment(1);
  const samples: number[] = [];
  for (let round = 0; round < 80; round++) {
    const patches = [
      { op: "set" as const, key: "counter", value: round },
      ...Array.from({ length: 99 }, (_, j) => ({ op: "set" as const, key: itemKey(j * 7), value: round })),
    ];
    const t0 = performance.now();
    await target.applyServerUpdate({ minIncludedVersion: round + 2, maxIncludedVersion: round + 2, patches });
    samples.push(performance.now() - t0);
  }
  const timing = summarize(samples.slice(10));
  results.push({
    name: "rebase 1000 pending, all re-run + 100-key patch",
    workload: `${SIZE} keys; 1000 pending increments of "counter", which every patch sets (no effect can be reused)`,
    timing,
    target: "≤ 5 ms at 1,000 pending",
    met: timing.medianMs <= 5,
  });
  await store.close();
}
report("core-rebase", results);
