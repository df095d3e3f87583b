/** Connection state of a store's sync client. */
export type ConnectionState = "connecting" | "online" | "offline";

/** The sync layer's part of the status: what only it knows. */
export interface ConnectionStatus {
  readonly connection: ConnectionState;
  /** The last connection or protocol error, cleared when a connection succeeds. */
  readonly lastError: { readonly code: string; readonly message: string } | null;
  /**
   * Set when this app must be reloaded to sync again: the server no longer serves its version,
   * or this browser holds data a newer version of the app wrote. Its queue stays persisted.
   */
  readonly updateNeeded?: UpdateNeeded | null;
}

/** Why and between which versions an app must update (see `SyncStatus.updateNeeded`). */
export interface UpdateNeeded {
  /**
   * `client_too_old`: the server serves `minSupportedVersion` to `serverVersion` only;
   * `persisted_newer`: a newer version of the app wrote this browser's data for the store.
   */
  readonly reason: "client_too_old" | "persisted_newer";
  /** The version of the store definition this app runs. */
  readonly clientVersion: number;
  readonly minSupportedVersion?: number;
  readonly serverVersion?: number;
  readonly message: string;
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
  /** Set when this app must be reloaded to sync again (see `ConnectionStatus.updateNeeded`). */
  readonly updateNeeded: UpdateNeeded | null;
}
