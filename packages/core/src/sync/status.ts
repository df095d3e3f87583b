/** Connection state of a store's sync client. */
export type ConnectionState = "connecting" | "online" | "offline";

/** What the UI shows about syncing. A new object each time anything in it changes. */
export interface SyncStatus {
  readonly connection: ConnectionState;
  /** Local mutations the server has not acknowledged yet. */
  readonly pendingCount: number;
  /** True while online with pending mutations in flight. */
  readonly syncing: boolean;
  /** The last connection or protocol error, cleared when a connection succeeds. */
  readonly lastError: { readonly code: string; readonly message: string } | null;
}
