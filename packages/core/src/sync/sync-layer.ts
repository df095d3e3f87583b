import type { PresenceLink } from "../presence/presence-link.js";
import type { AnyStoreDefinition } from "../schema/define-store.js";
import type { SyncTarget } from "../store/server-update.js";
import type { Logger } from "../util/logger.js";
import type { ConnectionStatus } from "./status.js";
import type { SyncTap } from "./sync-tap.js";

/**
 * The contract between a store and the sync layer that keeps it in step with a server, declared
 * here once: `createStore` calls a `SyncConnector` (`connectToServer(…)` is one) with the store's
 * `SyncTarget` (the store side, in `store/server-update.ts`) and a `ConnectContext`, and gets a
 * `SyncConnection` back. The sync layer reports only what it alone knows (connection and last
 * error); the store adds its pending count and derives `syncing` (see `createStore`).
 */

/** What a sync layer receives beside the store it drives. */
export interface ConnectContext {
  readonly spaceId: string;
  readonly definition: AnyStoreDefinition;
  readonly logger: Logger;
  readonly onError: (error: unknown) => void;
  /** Hears every frame and connection step, for `store.inspect()`; calling it is cheap when nobody inspects. */
  readonly tap: SyncTap;
  /** The store's presence channel, for the sync layer to carry (see `presence/presence-link.ts`). */
  readonly presence: PresenceLink;
}

/** What a sync layer hands back to `createStore` once attached to a store. */
export interface SyncConnection {
  status(): ConnectionStatus;
  /** Calls `listener` whenever `status()` may have changed. */
  onStatusChange(listener: () => void): () => void;
  /** Runs a server-only action; rejects with `OfflineError` when it cannot reach the server. */
  action(name: string, args: unknown): Promise<unknown>;
  /** Disconnects and stops reconnecting. */
  close(): Promise<void>;
}

/** Attaches a sync layer to a store: `createStore`'s `connect` option. */
export type SyncConnector = (target: SyncTarget, context: ConnectContext) => SyncConnection;
