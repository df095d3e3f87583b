import type { OrderedMap } from "../kv/ordered-map.js";

/** Every key of `a` and `b`, once each, in key order (both maps are walked in order once). */
export function mergeSortedKeys(a: OrderedMap<unknown>, b: OrderedMap<unknown>): string[] {
  const fromB: string[] = [];
  b.forEachFrom("", "", (key) => fromB.push(key) > 0);
  const out: string[] = [];
  let j = 0;
  a.forEachFrom("", "", (key) => {
    for (; j < fromB.length && fromB[j]! < key; j++) out.push(fromB[j]!);
    if (fromB[j] === key) j++;
    out.push(key);
    return true;
  });
  for (; j < fromB.length; j++) out.push(fromB[j]!);
  return out;
}
