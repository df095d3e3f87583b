/** Heap per key at 100k small keys, against a plain `Map` of the same objects. */
import { heapUsed, report } from "../../../../scripts/bench-kit.js";
import { benchStore, itemKey } from "./bench-store.js";

const SIZE = 100_000;
// Fresh keys and values per structure, so each figure counts keys, values and container.
const makeEntries = () =>
  Array.from({ length: SIZE }, (_, i) => [itemKey(i), { id: `t${i}`, n: i }] as const);

function plainMapPerKey(): number {
  const h0 = heapUsed();
  const plain = new Map<string, unknown>(makeEntries());
  const perKey = (heapUsed() - h0) / SIZE;
  plain.clear();
  return perKey;
}

// A first round settles the heap (code, shapes, inline caches) before anything is measured.
plainMapPerKey();
const mapBefore = plainMapPerKey();

const h0 = heapUsed();
const { store, target } = await benchStore(0);
await target.applyServerUpdate({
  minIncludedVersion: 2,
  maxIncludedVersion: 2,
  patches: makeEntries().map(([key, value]) => ({ op: "set" as const, key, value })),
});
const storePerKey = (heapUsed() - h0) / SIZE;
const size = (await store.query((tx) => tx.scan({ prefix: "items/" }))).length;
await store.close();

report("core-heap", [
  {
    name: "heap per key, 100k small keys",
    workload: `${SIZE} keys items/NNNNNN → {id, n} applied as one server patch; keys + values + structures, memory persistence included`,
    figures: { storeBytesPerKey: Math.round(storePerKey), plainMapBytesPerKey: Math.round(mapBefore), size },
    target: "≤ 300 bytes per key",
    met: storePerKey <= 300,
  },
]);
