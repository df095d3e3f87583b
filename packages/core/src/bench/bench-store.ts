/** Builds stores for the core benchmarks: a real `createStore` with a base of `size` keys. */
import type { SyncTarget } from "../store/server-update.js";
import { todoStore } from "../../test/todo-definition.js";
import type { Store } from "../client-types.js";
import { createDrivenStore } from "../testing.js";

export interface BenchStore {
  readonly store: Store<typeof todoStore>;
  readonly target: SyncTarget;
}

/** Key `i` of the benchmark base: `items/000042`. */
export const itemKey = (i: number): string => `items/${String(i).padStart(6, "0")}`;

/** A store whose base holds `size` keys `items/…` → small numbers, at version 1. */
export async function benchStore(size: number): Promise<BenchStore> {
  const { store, target } = createDrivenStore(todoStore, { space: "bench", userId: "u1", clientId: "c1" });
  await store.ready;
  const patches = Array.from({ length: size }, (_, i) => ({ op: "set" as const, key: itemKey(i), value: i }));
  await target.applyServerUpdate({
    minIncludedVersion: 0,
    maxIncludedVersion: 1,
    patches: [{ op: "reset" }, ...patches],
  });
  return { store, target };
}
