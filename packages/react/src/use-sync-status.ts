import type { AnyStoreDefinition, Store, SyncStatus } from "@synced-store/core";
import { useCallback, useSyncExternalStore } from "react";
import { useStore } from "./store-provider.js";

/**
 * The store's sync status (connection, pending count, syncing, last error, and `updateNeeded` when
 * the app must reload to sync again); re-renders when it changes.
 */
export function useSyncStatus<D extends AnyStoreDefinition>(store?: Store<D>): SyncStatus {
  const resolved = useStore(store) as unknown as Store<AnyStoreDefinition>;
  const subscribe = useCallback((onChange: () => void) => resolved.onStatusChange(onChange), [resolved]);
  const getStatus = useCallback(() => resolved.status, [resolved]);
  return useSyncExternalStore(subscribe, getStatus, getStatus);
}
