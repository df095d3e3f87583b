/**
 * `@synced-store/core/idb`: IndexedDB persistence for browsers, in its own entry point so that
 * code running elsewhere never loads it.
 */
export { idbPersistence, type IdbPersistenceOptions } from "./persistence/idb-persistence.js";
export { idbClientRegistry } from "./tabs/idb-client-registry.js";
