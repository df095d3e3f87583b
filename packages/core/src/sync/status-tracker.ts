import type { ConnectionState, SyncStatus } from "./status.js";

/**
 * Holds a `SyncStatus` and tells listeners when it changes. `status` is a new object only when a
 * field changed, so React's `useSyncExternalStore` re-renders only then.
 */
export class StatusTracker {
  private current: SyncStatus = { connection: "offline", pendingCount: 0, syncing: false, lastError: null };
  private readonly listeners = new Set<(status: SyncStatus) => void>();

  get status(): SyncStatus {
    return this.current;
  }

  /** Merges `changes`; recomputes `syncing`; notifies listeners if anything changed. */
  update(changes: {
    connection?: ConnectionState;
    pendingCount?: number;
    lastError?: SyncStatus["lastError"];
  }): void {
    const prev = this.current;
    const connection = changes.connection ?? prev.connection;
    const pendingCount = changes.pendingCount ?? prev.pendingCount;
    const lastError = changes.lastError === undefined ? prev.lastError : changes.lastError;
    const syncing = connection === "online" && pendingCount > 0;
    if (
      connection === prev.connection &&
      pendingCount === prev.pendingCount &&
      syncing === prev.syncing &&
      lastError?.code === prev.lastError?.code &&
      lastError?.message === prev.lastError?.message
    ) {
      return;
    }
    this.current = { connection, pendingCount, syncing, lastError };
    for (const listener of [...this.listeners]) listener(this.current);
  }

  subscribe(listener: (status: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
