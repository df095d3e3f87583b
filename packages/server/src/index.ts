/**
 * `@synced-store/server`: the sync server engine, its storage contract and in-memory storage.
 * Transports live in `./node`, SQLite in `./sqlite`, PostgreSQL in `./postgres`.
 */
export {
  createSyncServer,
  type DisconnectFilter,
  type SyncServer,
  type SyncServerOptions,
} from "./sync-server.js";
export type { ConnectionHandle, SendFrame, CloseTransport } from "./connection/connection-handler.js";
export { CloseCode } from "./connection/close-code.js";
export type { HostRuntime } from "./runtime/host-runtime.js";
export { nodeHostRuntime } from "./runtime/node-host-runtime.js";
export type {
  Authenticated,
  AuthenticateRequest,
  ConnectionInfo,
  RequestInfo,
  ServerHooks,
} from "./connection/hooks.js";
export { defaultLimits, type Limits } from "./engine/limits.js";
export type { MigrationReport } from "./engine/migrate-spaces.js";
export type { MutatorOverrides } from "./engine/store-runtime.js";
export type { PresenceOptions } from "./presence/presence-hub.js";
export type { WireError } from "./engine/wire-error.js";
export { silentLogger, type Logger } from "./logger.js";
export { ServerMetrics } from "./metrics/server-metrics.js";
export type * from "./storage/storage.js";
export { createMemoryStorage } from "./storage/memory.js";
export { PRESENCE_PAYLOAD_BYTES, type Bus, type BusHandlers, type VersionNotice } from "./bus/bus.js";
export { createMemoryBus, MemoryBusNetwork } from "./bus/memory-bus.js";
export type { ServerInspection, InspectedSpace, InspectedClient } from "./admin/server-inspection.js";
export type { BusState } from "./bus/bus-state.js";
