import { createStore, promisifyRequest, type UseStore } from "idb-keyval";
import type {
  PersistBatch,
  Persistence,
  PersistenceProvider,
  PersistedMeta,
  PersistedMutation,
  PersistedState,
} from "../kv/persistence.js";

/** Options of `idbPersistence`. */
export interface IdbPersistenceOptions {
  /** Prefix of the IndexedDB database names (one database per store). @default "synced-store" */
  readonly databasePrefix?: string;
}

// One object store per persisted store, with array keys so each part is one key range:
// ["m"] → meta, ["b", key] → base entry, ["p", id] → pending mutation.
const META_KEY = ["m"];
// In IndexedDB key order every string sorts before every array, so ["b", []] bounds all ["b", string].
const BASE_RANGE = () => IDBKeyRange.bound(["b"], ["b", []]);
const PENDING_RANGE = () => IDBKeyRange.bound(["p"], ["p", []]);

/**
 * Browser persistence in IndexedDB through idb-keyval. Each batch is one readwrite transaction,
 * so it is atomic, and IndexedDB runs transactions over the same store in creation order.
 */
export function idbPersistence(options: IdbPersistenceOptions = {}): PersistenceProvider {
  const prefix = options.databasePrefix ?? "synced-store";
  return { open: (name) => new IdbPersistence(createStore(`${prefix}:${name}`, "kv")) };
}

class IdbPersistence implements Persistence {
  constructor(private readonly store: UseStore) {}

  load(): Promise<PersistedState | undefined> {
    return this.store("readonly", async (s) => {
      const [meta, baseKeys, baseValues, pending] = await Promise.all([
        promisifyRequest(s.get(META_KEY) as IDBRequest<PersistedMeta | undefined>),
        promisifyRequest(s.getAllKeys(BASE_RANGE())),
        promisifyRequest(s.getAll(BASE_RANGE()) as IDBRequest<unknown[]>),
        promisifyRequest(s.getAll(PENDING_RANGE()) as IDBRequest<PersistedMutation[]>),
      ]);
      if (meta === undefined) return undefined;
      const base = baseKeys.map((k, i) => [(k as [string, string])[1], baseValues[i]] as const);
      return { meta, base, pending };
    });
  }

  write(batch: PersistBatch): Promise<void> {
    return this.store("readwrite", (s) => {
      if (batch.meta) s.put(batch.meta, META_KEY);
      if (batch.resetBase) s.delete(BASE_RANGE());
      for (const key of batch.baseDel ?? []) s.delete(["b", key]);
      for (const [key, value] of batch.baseSet ?? []) s.put(value, ["b", key]);
      for (const id of batch.pendingDel ?? []) s.delete(["p", id]);
      for (const m of batch.pendingPut ?? []) s.put(m, ["p", m.id]);
      return promisifyRequest(s.transaction);
    });
  }

  close(): Promise<void> {
    // idb-keyval keeps its connection for the page's lifetime; nothing to release per store.
    return Promise.resolve();
  }
}
