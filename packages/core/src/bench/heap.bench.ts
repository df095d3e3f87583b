/**
 * Heap per key at 100k small keys: the store (with and without its in-memory persistence copy)
 * against a plain `Map` of the same entries. Each figure is measured in a fresh process so one
 * measurement's garbage cannot skew another.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { heapUsed, report } from "../../../../scripts/bench-kit.js";
import type { PersistenceProvider } from "../kv/persistence.js";
import { itemKey } from "./bench-store.js";
import { createDrivenStore } from "../testing.js";
import { memoryPersistence } from "../persistence/memory-persistence.js";
import type { SyncTarget } from "../store/server-update.js";
import { todoStore } from "../../test/todo-definition.js";

const SIZE = 100_000;
type Mode = "map" | "store" | "store-no-persistence";

// Fresh keys and values per measurement: each figure counts keys, values and structures.
const makeEntries = () =>
  Array.from({ length: SIZE }, (_, i) => [itemKey(i), { id: `t${i}`, n: i }] as const);

/** Persistence that keeps nothing: isolates the store's own structures. */
const discard: PersistenceProvider = {
  open: () => ({
    load: () => Promise.resolve(undefined),
    write: () => Promise.resolve(),
    close: () => Promise.resolve(),
  }),
};

// Built in their own frames, so no temporary (the entry list, the patch list) stays referenced
// from the measuring frame while the heap is read.
function buildMap(): Map<string, unknown> {
  return new Map<string, unknown>(makeEntries());
}

async function applyEntries(target: SyncTarget): Promise<void> {
  await target.applyServerUpdate({
    minIncludedVersion: 1,
    maxIncludedVersion: 1,
    patches: makeEntries().map(([key, value]) => ({ op: "set" as const, key, value })),
  });
}

async function measure(mode: Mode): Promise<number> {
  const h0 = heapUsed();
  if (mode === "map") {
    const plain = buildMap();
    const perKey = (heapUsed() - h0) / SIZE;
    return plain.size === SIZE ? perKey : NaN;
  }
  const { store, target } = createDrivenStore(todoStore, {
    space: "heap",
    userId: "u",
    clientId: "c",
    persistence: mode === "store" ? memoryPersistence() : discard,
  });
  await store.ready;
  await applyEntries(target);
  const perKey = (heapUsed() - h0) / SIZE;
  const size = (await store.query((tx) => tx.scan({ prefix: "items/" }))).length;
  return size === SIZE ? perKey : NaN;
}

const child = process.argv[2] as Mode | undefined;
if (child) {
  process.stdout.write(JSON.stringify(await measure(child)));
} else {
  const run = (mode: Mode): number => {
    const out = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), mode], {
      encoding: "utf8",
    });
    return Math.round(Number(out.stdout));
  };
  const map = run("map");
  const store = run("store");
  const bare = run("store-no-persistence");
  report("core-heap", [
    {
      name: "heap per key, 100k small keys",
      workload: `${SIZE} keys items/NNNNNN → {id, n} applied as one server patch; keys + values + structures`,
      figures: {
        storeBytesPerKey: store,
        storeWithoutPersistenceCopyBytesPerKey: bare,
        plainMapBytesPerKey: map,
      },
      target: "≤ 300 bytes per key (with in-memory persistence)",
      met: store <= 300,
    },
  ]);
}
