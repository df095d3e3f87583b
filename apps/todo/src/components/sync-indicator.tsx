import type { Store, SyncStatus } from "@synced-store/core";
import { useCallback, useRef, useSyncExternalStore } from "react";
import type { TodoDefinition } from "../shared/definition.js";

/** Props of {@link SyncIndicator}. */
export interface SyncIndicatorProps {
  /** The stores whose status is summed up (connection of the worst, pending of all). */
  stores: ReadonlyArray<Store<TodoDefinition>>;
}

/** Online / offline / syncing, with the number of local edits the server has not confirmed yet. */
export function SyncIndicator({ stores }: SyncIndicatorProps) {
  const statuses = useStatuses(stores);
  const pending = statuses.reduce((sum, s) => sum + s.pendingCount, 0);
  const offline = statuses.some((s) => s.connection === "offline");
  const connecting = statuses.some((s) => s.connection === "connecting");
  const syncing = statuses.some((s) => s.syncing);
  const state = offline ? "offline" : connecting ? "connecting" : syncing ? "syncing" : "online";
  const label = { offline: "Offline", connecting: "Connecting…", syncing: "Syncing", online: "Online" }[
    state
  ];
  // Why the last connection failed, if it did (e.g. the server refused the user).
  const error = statuses.find((s) => s.lastError !== null)?.lastError?.message;
  return (
    // A live region: screen readers hear "Offline" or "Online" as it changes, without moving focus.
    <div
      role="status"
      aria-live="polite"
      className={`sync sync-${state}`}
      data-testid="sync"
      data-state={state}
      data-pending={pending}
      title={error ?? `${pending} local edits not yet confirmed by the server`}
    >
      <span className="dot" aria-hidden />
      {label}
      {pending > 0 && <span className="pending"> · {pending} pending</span>}
    </div>
  );
}

/** The statuses of several stores, re-rendering when any changes. */
function useStatuses(stores: ReadonlyArray<Store<TodoDefinition>>): readonly SyncStatus[] {
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
