/** Sequential `mutate` of one small key until its subscription is notified, on 10k / 100k keys. */
import { report, time, type BenchResult } from "../../../../scripts/bench-kit.js";
import { benchStore, itemKey } from "./bench-store.js";

const results: BenchResult[] = [];
for (const size of [10_000, 100_000]) {
  const { store } = await benchStore(size);
  const key = itemKey(size >> 1);
  let notify: (() => void) | undefined;
  let calls = 0;
  store.subscribe(
    (tx) => tx.get(key),
    () => {
      calls++;
      notify?.();
    },
  );
  await new Promise<void>((resolve) => (notify = resolve));
  const timing = await time(
    (i) =>
      new Promise<void>((resolve) => {
        notify = resolve;
        void store.mutate.setRaw({ key, value: i + 1_000_000 });
      }),
    { iterations: 5000, warmup: 1000 },
  );
  results.push({
    name: `mutate → subscription notified (${size / 1000}k keys)`,
    workload: `setRaw on ${key}, one subscription reading it, ${size} keys in base, sequential`,
    timing,
    figures: { notifications: calls },
    target: "p50 ≤ 20 µs",
    met: timing.medianMs <= 0.02,
  });
  await store.close();
}
report("core-mutate-notify", results);
