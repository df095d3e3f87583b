/**
 * `@synced-store/core`: what an app uses. Define a store (`defineStore`), open it
 * (`createStore`), connect it (`connectToServer`), and the errors, statuses and types that come
 * with them. Engine internals sit behind `@synced-store/core/internal`, the wire protocol behind
 * `@synced-store/core/protocol`, test helpers behind `@synced-store/core/testing` and IndexedDB
 * persistence behind `@synced-store/core/idb`. `exports.test.ts` snapshots this list.
 */
export {
  SyncedStoreError,
  ValidationError,
  MutationRejectedError,
  PermissionError,
  OfflineError,
  ProtocolError,
  type SyncedStoreErrorCode,
} from "./errors.js";
export {
  privateKey,
  serverOnlyKey,
  PRIVATE_PREFIX,
  SERVER_ONLY_PREFIX,
  type Visibility,
} from "./schema/keys.js";
export type { PatternToKey, KeySchemas, ValueAt, ValueUnder, KeyOf } from "./schema/key-pattern.js";
export * from "./schema/define-store.js";
export type { PresencePeer } from "./presence/presence-channel.js";
export type { PresenceLink } from "./presence/presence-link.js";
export type * from "./store/transaction.js";
export type * from "./store/server-update.js";
export type * from "./sync/status.js";
export type * from "./sync/sync-layer.js";
export type * from "./client-types.js";
export type * from "./inspect/inspection.js";
export * from "./client.js";
export type * from "./kv/persistence.js";
export { memoryPersistence, MemoryPersistenceProvider } from "./persistence/memory-persistence.js";
export { silentLogger, type Logger } from "./util/logger.js";
export { connectToServer, type ServerConnectionOptions } from "./sync/connect-to-server.js";
export type { AuthSource } from "./sync/sync-client-options.js";
export type * from "./sync/transport.js";
export {
  webSocketTransport,
  type WebSocketConstructor,
  type WebSocketLike,
} from "./sync/websocket-transport.js";
export { httpTransport, type FetchLike, type HttpTransportOptions } from "./sync/http-transport.js";
export type { BackoffOptions } from "./sync/backoff.js";
export type { SyncTimers, TimerHandle } from "./sync/timers.js";
export {
  linkTabs,
  type TabOptions,
  type TabLink,
  type LinkTabsOptions,
  type OrphanStore,
} from "./tabs/link-tabs.js";
export type { PeerTarget } from "./store/peer-target.js";
export type { TabChannel, TabChannelFactory } from "./tabs/tab-channel.js";
export {
  broadcastTabChannels,
  type BroadcastChannelConstructor,
  type BroadcastChannelLike,
} from "./tabs/broadcast-tab-channel.js";
export { memoryTabLocks, type TabLocks, type ReleaseLock } from "./tabs/tab-locks.js";
export { webTabLocks, type LockManagerLike } from "./tabs/web-tab-locks.js";
export { memoryClientRegistry, type ClientRegistry } from "./tabs/client-registry.js";
export { browserOnlineSignal, type OnlineSignal } from "./sync/network-events.js";
export type {
  Entry,
  FamilyUpgrade,
  MutatorUpgrade,
  MigrationTransaction,
  VersionUpgrade,
  Upgrades,
} from "./schema/upgrades.js";
