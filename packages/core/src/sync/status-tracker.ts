import type { ConnectionState, ConnectionStatus, UpdateNeeded } from "./status.js";

/**
 * Holds the sync client's `ConnectionStatus` and tells listeners when it changes. `status` is a
 * new object only when a field changed. The pending count and `syncing` are the store's (see
 * `createStore`), not tracked here.
 */
export class StatusTracker {
  private current: ConnectionStatus = { connection: "offline", lastError: null, updateNeeded: null };
  private readonly listeners = new Set<(status: ConnectionStatus) => void>();

  get status(): ConnectionStatus {
    return this.current;
  }

  /** Merges `changes`; notifies listeners if anything changed. */
  update(changes: {
    connection?: ConnectionState;
    lastError?: ConnectionStatus["lastError"];
    updateNeeded?: UpdateNeeded | null;
  }): void {
    const prev = this.current;
    const connection = changes.connection ?? prev.connection;
    const lastError = changes.lastError === undefined ? prev.lastError : changes.lastError;
    const updateNeeded =
      changes.updateNeeded === undefined ? (prev.updateNeeded ?? null) : changes.updateNeeded;
    if (
      connection === prev.connection &&
      lastError?.code === prev.lastError?.code &&
      lastError?.message === prev.lastError?.message &&
      updateNeeded === prev.updateNeeded
    ) {
      return;
    }
    this.current = { connection, lastError, updateNeeded };
    for (const listener of [...this.listeners]) listener(this.current);
  }

  subscribe(listener: (status: ConnectionStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
