/**
 * `@synced-store/core/internal`: engine pieces the server, the bindings and the tests build on
 * (the local store, the ordered map, the sync client, the visibility and key-pattern rules).
 * Not for apps: these change without notice.
 */
export { toSyncedStoreError } from "./errors.js";
export { isServerOnlyKey, privateKeyOwner, visibilityOf, canRead, canWrite } from "./schema/keys.js";
export { compilePatterns, schemaForKey, type CompiledPattern } from "./schema/key-pattern.js";
export { validateValue } from "./schema/validate-value.js";
export { validatePresence } from "./schema/validate-presence.js";
export { OrderedMap, compareKeys } from "./kv/ordered-map.js";
export { LocalStore, type LocalStoreOptions, type LocalMutation } from "./store/local-store.js";
export type { KeyChange, StoreChange } from "./store/store-change.js";
export { deepEqual } from "./util/deep-equal.js";
export { SyncClient } from "./sync/sync-client.js";
export type { SyncClientOptions } from "./sync/sync-client-options.js";
export { backoffDelay } from "./sync/backoff.js";
export { systemTimers } from "./sync/timers.js";
export { RETIRED_MUTATION } from "./schema/upgrades.js";
export { upgradeMutation, type MutationUpgrade } from "./schema/upgrade-mutation.js";
export { upgradeEntries, downgradeValue, hasDowngrades } from "./schema/upgrade-values.js";
export { DELETED, LayeredView, type Layer } from "./store/layered-view.js";
export { StoreWriteTransaction } from "./store/write-transaction.js";
export type { TransactionContext, WriteLimits } from "./store/transaction-policy.js";
export { callMutator } from "./store/call-mutator.js";
export { deepFreeze } from "./util/deep-freeze.js";
