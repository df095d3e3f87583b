import type { Store, SyncStatus } from "@synced-store/core";
import { useCallback, useRef, useSyncExternalStore } from "react";
import type { TodoDefinition } from "./shared/definition.js";

/** The statuses of several stores, re-rendering when any changes. */
export function useStatuses(stores: ReadonlyArray<Store<TodoDefinition>>): readonly SyncStatus[] {
  const key = stores.map((s) => s.spaceId).join(",");
  // useSyncExternalStore needs a stable snapshot: a new array only when some status changed.
  const cache = useRef<readonly SyncStatus[]>([]);
  // The stores behind one key are the same objects (see storeFor), so `key` is the dependency.
  const subscribe = useCallback(
    (onChange: () => void) => {
      const offs = stores.map((s) => s.onStatusChange(onChange));
      return () => offs.forEach((off) => off());
    },
    [key],
  );
  const getSnapshot = () => {
    const next = stores.map((s) => s.status);
    const prev = cache.current;
    if (prev.length !== next.length || next.some((s, i) => s !== prev[i])) cache.current = next;
    return cache.current;
  };
  return useSyncExternalStore(subscribe, getSnapshot);
}
