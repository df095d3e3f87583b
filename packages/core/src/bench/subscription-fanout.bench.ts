/**
 * 100 subscriptions on single keys plus one scanning all 10k keys; one key changes. Measures the
 * time until the affected callbacks fired and counts which queries re-ran.
 */
import { report, time, type BenchResult } from "../../../../scripts/bench-kit.js";
import { benchStore, itemKey } from "./bench-store.js";

const SIZE = 10_000;
const { store } = await benchStore(SIZE);
const runs = new Map<string, number>();
const counted =
  <T>(name: string, read: () => Promise<T>) =>
  (): Promise<T> => {
    runs.set(name, (runs.get(name) ?? 0) + 1);
    return read();
  };

let pending = 0;
let done: (() => void) | undefined;
const fired = () => {
  if (--pending === 0) done?.();
};
let ready = 101;
const initial = new Promise<void>((resolve) => (done = resolve));
pending = ready;
for (let i = 0; i < 100; i++) {
  const key = itemKey(i * 100);
  store.subscribe((tx) => counted(key, () => tx.get(key))(), fired);
}
store.subscribe((tx) => counted("scan", () => tx.scan({ prefix: "items/" }))(), fired);
await initial;
ready = 0;

const changed = itemKey(500); // read by one single-key subscription and by the scan
runs.clear();
const timing = await time(
  (i) =>
    new Promise<void>((resolve) => {
      pending = 2;
      done = resolve;
      void store.mutate.setRaw({ key: changed, value: -1 - i });
    }),
  { iterations: 300, warmup: 30 },
);
const rerunKeys = [...runs.keys()].sort();
const exact = rerunKeys.length === 2 && rerunKeys.includes("scan") && rerunKeys.includes(changed);
report("core-subscription-fanout", [
  {
    name: "one key changed → affected callbacks fired",
    workload: `${SIZE} keys; 100 single-key subscriptions + 1 scanning all ${SIZE}; 1 key changed per mutation`,
    timing,
    figures: { queriesReRun: rerunKeys.join(","), exactlyAffectedReRan: String(exact) },
    target: "≤ 1 ms, only affected queries re-run",
    met: timing.medianMs <= 1 && exact,
  } satisfies BenchResult,
]);
await store.close();
