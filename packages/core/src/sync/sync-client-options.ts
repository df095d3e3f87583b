import type { SyncedStoreError } from "../errors.js";
import type { PresenceLink } from "../presence/presence-link.js";
import type { SyncTarget } from "../store/server-update.js";
import type { BackoffOptions } from "./backoff.js";
import type { SyncTimers } from "./timers.js";
import type { SyncTap } from "./sync-tap.js";
import type { Transport } from "./transport.js";

/** The credential sent in `connect`: a token, or a function asked on every (re)connect. */
export type AuthSource = string | (() => string | Promise<string>);

/** Options of `SyncClient`. */
export interface SyncClientOptions {
  /** The local store to keep in sync. */
  readonly target: SyncTarget;
  /** `{store}/{instance}`. */
  readonly spaceId: string;
  readonly schemaVersion: number;
  /** The main transport, usually `webSocketTransport`. */
  readonly transport: Transport;
  /** Used after `fallbackAfterFailures` attempts in a row where `transport` could not connect. */
  readonly fallbackTransport?: Transport;
  /** @default 2 */
  readonly fallbackAfterFailures?: number;
  readonly auth?: AuthSource;
  /** @default systemTimers */
  readonly timers?: SyncTimers;
  /** Delay between a mutation and its push; 0 pushes at the end of the current task. @default 0 */
  readonly pushDelayMs?: number;
  /**
   * Least time between two pushes: mutations made meanwhile wait and share the next frame, which
   * keeps a fast writer under the server's per-connection message rate. @default 10
   */
  readonly minPushIntervalMs?: number;
  /** Mutations per `push` frame; more go in further frames. @default 100 */
  readonly maxMutationsPerPush?: number;
  /** @default 10_000 */
  readonly heartbeatIntervalMs?: number;
  /** @default 5_000 */
  readonly heartbeatTimeoutMs?: number;
  /** Time allowed from opening a connection to `connected`. @default 10_000 */
  readonly connectTimeoutMs?: number;
  /** Pull interval on a transport without pokes (HTTP). @default 2_000 */
  readonly pollIntervalMs?: number;
  /**
   * While online, how often to check for a stalled exchange — pending mutations whose
   * acknowledgement made no progress, or a pull with no answer — and then re-push from the
   * acknowledged id and pull again. Guards against frames lost by proxies. @default 10_000
   */
  readonly resyncIntervalMs?: number;
  readonly backoff?: BackoffOptions;
  /** The store's presence channel: sent on every connection, others received. @default no presence */
  readonly presence?: PresenceLink;
  /** Least time between two presence frames (the latest state wins). @default 16 */
  readonly presenceIntervalMs?: number;
  /** Hears every frame and connection step (the store's inspector). @default none */
  readonly tap?: SyncTap;
  /** Receives connection and protocol errors (they also show in `status.lastError`). */
  readonly onError?: (error: SyncedStoreError) => void;
}
