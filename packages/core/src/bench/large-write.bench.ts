/**
 * Large writes as an app makes them (the conditions of the Replicache-style outside benchmark): a
 * fresh client per run with memory persistence, a typed zod schema per key family, values built
 * inside the mutator, keys that are new to the store, and the timed call is the awaited `mutate`.
 * Then a scan of the 10,000 keys such a mutation left pending.
 */
import { z } from "zod";
import { report, summarize, type BenchResult } from "../../../../scripts/bench-kit.js";
import { createStore } from "../client.js";
import { memoryPersistence } from "../persistence/memory-persistence.js";
import { defineStore } from "../schema/define-store.js";

const KEYS = 10_000;
const BLOB_BYTES = 1000;

const Row = z.object({ id: z.string(), title: z.string(), rank: z.number(), done: z.boolean() });
const Blob = z.object({ id: z.string(), data: z.string() });
const bench = defineStore({
  name: "large-write",
  keys: {
    "rows/*": Row,
    "blobs/*": Blob,
    "tags/*": z.array(z.string()),
    "$$pu/*/prefs": z.object({ theme: z.string() }),
    counter: z.number(),
  },
}).mutators({
  writeRows: {
    args: z.object({ count: z.number().int() }),
    run: async (tx, { count }) => {
      for (let i = 0; i < count; i++) {
        const id = String(i).padStart(6, "0");
        await tx.set(`rows/${id}`, { id, title: `row ${i}`, rank: i, done: i % 2 === 0 });
      }
    },
  },
  writeBlobs: {
    args: z.object({ count: z.number().int(), size: z.number().int() }),
    run: async (tx, { count, size }) => {
      const filler = "x".repeat(size);
      for (let i = 0; i < count; i++) {
        const id = String(i).padStart(6, "0");
        await tx.set(`blobs/${id}`, { id, data: id + filler.slice(id.length) });
      }
    },
  },
});

const freshStore = async () => {
  const store = createStore(bench, { space: "s", userId: "u1", persistence: memoryPersistence() });
  await store.ready;
  return store;
};

/**
 * Times `run` on a fresh store each time (store creation outside the timing). No forced GC between
 * runs: a full collection right before a sample leaves V8 slower for the next few milliseconds
 * than it ever is in an app, and the earlier stores' garbage is part of real use.
 */
async function timeOnFreshStores(
  run: (store: Awaited<ReturnType<typeof freshStore>>) => Promise<unknown>,
  { iterations, warmup }: { iterations: number; warmup: number },
) {
  const samples: number[] = [];
  for (let i = 0; i < warmup + iterations; i++) {
    const store = await freshStore();
    const t0 = performance.now();
    await run(store);
    const ms = performance.now() - t0;
    if (i >= warmup) samples.push(ms);
    await store.close();
  }
  return summarize(samples);
}

const results: BenchResult[] = [];
{
  const timing = await timeOnFreshStores((s) => s.mutate.writeRows({ count: KEYS }), {
    iterations: 20,
    warmup: 5,
  });
  results.push({
    name: "one mutation writing 10,000 small keys (fresh client)",
    workload:
      "writeRows: 10,000 new keys rows/* ← {id,title,rank,done} built in the mutator, zod-typed, awaited mutate, memory persistence",
    timing,
    target: "≤ 15 ms",
    met: timing.medianMs <= 15,
  });
}
{
  const timing = await timeOnFreshStores((s) => s.mutate.writeBlobs({ count: KEYS, size: BLOB_BYTES }), {
    iterations: 20,
    warmup: 5,
  });
  results.push({
    name: "one mutation writing 10 MB (fresh client)",
    workload:
      "writeBlobs: 10,000 new keys blobs/* ← {id, data: 1 KB string} built in the mutator, zod-typed, awaited mutate",
    timing,
    figures: { bytes: KEYS * BLOB_BYTES },
    target: "≤ 25 ms",
    met: timing.medianMs <= 25,
  });
}
{
  const store = await freshStore();
  await store.mutate.writeRows({ count: KEYS });
  const scanAll = () => store.query((tx) => tx.scan({ prefix: "rows/" }));
  const samples: number[] = [];
  // 100 warm-up scans, as in scan-write (the optimised code is what an app scanning again meets).
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    await scanAll();
    if (i >= 100) samples.push(performance.now() - t0);
  }
  const timing = summarize(samples);
  results.push({
    name: "scan 10,000 keys written by a pending mutation",
    workload: "query scanning prefix rows/ right after writeRows (the keys are in the pending overlay)",
    timing,
    figures: { entries: (await scanAll()).length },
    target: "≤ 1 ms",
    met: timing.medianMs <= 1,
  });
  await store.close();
}
report("core-large-write", results);
