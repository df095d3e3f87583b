import { createStore, get, update } from "idb-keyval";
import type { ClientRegistry } from "./client-registry.js";

/**
 * A {@link ClientRegistry} in IndexedDB, shared by the tabs of one origin. `name` identifies the
 * space and user (e.g. `todo/list-1/alice`); `databaseName` is one database for every registry.
 */
export function idbClientRegistry(name: string, databaseName = "synced-store:clients"): ClientRegistry {
  const store = createStore(databaseName, "registries");
  return {
    list: async () => (await get<string[]>(name, store)) ?? [],
    // update() reads and writes in one readwrite transaction, so concurrent tabs do not lose ids.
    add: (clientId) =>
      update<string[]>(name, (ids = []) => (ids.includes(clientId) ? ids : [...ids, clientId]), store),
  };
}
