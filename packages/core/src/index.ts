export * from "./errors.js";
export * from "./schema/keys.js";
export * from "./schema/key-pattern.js";
export * from "./schema/define-store.js";
export * from "./schema/validate-value.js";
export type * from "./store/transaction.js";
export type * from "./store/server-update.js";
export type * from "./sync/status.js";
export type * from "./client-types.js";
export type * from "./inspect/inspection.js";
export * from "./protocol/messages.js";
export * from "./protocol/codec.js";
export * from "./client.js";
export { OrderedMap, compareKeys } from "./kv/ordered-map.js";
export type * from "./kv/persistence.js";
export { memoryPersistence, MemoryPersistenceProvider } from "./persistence/memory-persistence.js";
export { LocalStore, type LocalStoreOptions, type LocalMutation } from "./store/local-store.js";
export type { KeyChange, StoreChange } from "./store/store-change.js";
export { deepEqual } from "./util/deep-equal.js";
export { silentLogger, type Logger } from "./util/logger.js";
export {
  connectToServer,
  type ServerConnectionOptions,
  type ServerConnection,
} from "./sync/connect-to-server.js";
export { SyncClient, type SyncClientOptions, type AuthSource } from "./sync/sync-client.js";
export type * from "./sync/transport.js";
export {
  webSocketTransport,
  type WebSocketConstructor,
  type WebSocketLike,
} from "./sync/websocket-transport.js";
export { httpTransport, type FetchLike, type HttpTransportOptions } from "./sync/http-transport.js";
export { backoffDelay, type BackoffOptions } from "./sync/backoff.js";
export { systemTimers, type SyncTimers, type TimerHandle } from "./sync/timers.js";
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
export type * from "./schema/upgrades.js";
export { RETIRED_MUTATION } from "./schema/upgrades.js";
export { upgradeMutation, type MutationUpgrade } from "./schema/upgrade-mutation.js";
export { upgradeEntries, downgradeValue, hasDowngrades } from "./schema/upgrade-values.js";
