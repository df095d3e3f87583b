import type { ConnectionState, SyncStatus, UpdateNeeded } from "./status.js";

/**
 * Holds a `SyncStatus` and tells listeners when it changes. `status` is a new object only when a
 * field changed, so React's `useSyncExternalStore` re-renders only then.
 */
export class StatusTracker {
  private current: SyncStatus = {
    connection: "offline",
    pendingCount: 0,
    syncing: false,
    lastError: null,
    updateNeeded: null,
  };
  private readonly listeners = new Set<(status: SyncStatus) => void>();

  get status(): SyncStatus {
    return this.current;
  }

  /** Merges `changes`; recomputes `syncing`; notifies listeners if anything changed. */
  update(changes: {
    connection?: ConnectionState;
    pendingCount?: number;
    lastError?: SyncStatus["lastError"];
    updateNeeded?: UpdateNeeded | null;
  }): void {
    const prev = this.current;
    const connection = changes.connection ?? prev.connection;
    const pendingCount = changes.pendingCount ?? prev.pendingCount;
    const lastError = changes.lastError === undefined ? prev.lastError : changes.lastError;
    const syncing = connection === "online" && pendingCount > 0;
    const updateNeeded = changes.updateNeeded === undefined ? prev.updateNeeded : changes.updateNeeded;
    if (
      connection === prev.connection &&
      pendingCount === prev.pendingCount &&
      syncing === prev.syncing &&
      lastError?.code === prev.lastError?.code &&
      lastError?.message === prev.lastError?.message &&
      updateNeeded === prev.updateNeeded
    ) {
      return;
    }
    this.current = { connection, pendingCount, syncing, lastError, updateNeeded };
    for (const listener of [...this.listeners]) listener(this.current);
  }

  subscribe(listener: (status: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
