/** Connection state of a store's sync client. */
export type ConnectionState = "connecting" | "online" | "offline";

/** The sync layer's part of the status: what only it knows. */
export interface ConnectionStatus {
  readonly connection: ConnectionState;
  /** The last connection or protocol error, cleared when a connection succeeds. */
  readonly lastError: { readonly code: string; readonly message: string } | null;
}

/**
 * What the UI shows about syncing: the sync layer's `ConnectionStatus` with the store's pending
 * count. A new object each time anything in it changes.
 */
export interface SyncStatus extends ConnectionStatus {
  /** Local mutations the server has not acknowledged yet. */
  readonly pendingCount: number;
  /** True while online with pending mutations in flight (`connection === "online" && pendingCount > 0`). */
  readonly syncing: boolean;
}
