import type { z } from "zod";
import type { AnyStoreDefinition } from "@synced-store/core";
import {
  connect,
  type CloseTransport,
  type ConnectionHandle,
  type SendFrame,
} from "./connection/connection-handler.js";
import type { HandlerEnvironment, Session } from "./connection/handler-environment.js";
import type { RequestInfo, ServerHooks } from "./connection/hooks.js";
import { resolveLimits, type Limits } from "./engine/limits.js";
import { migrateSpaces, type MigrationReport } from "./engine/migrate-spaces.js";
import { Space } from "./engine/space.js";
import { storeRuntime, type MutatorOverrides, type StoreRuntime } from "./engine/store-runtime.js";
import type { WireError } from "./engine/wire-error.js";
import { silentLogger, type Logger } from "./logger.js";
import { ServerMetrics } from "./metrics/server-metrics.js";
import type { Storage } from "./storage/storage.js";
import { createMemoryStorage } from "./storage/memory.js";
import { SpaceQueue } from "./util/space-queue.js";
import type { Bus } from "./bus/bus.js";
import { VersionWatcher } from "./bus/version-watcher.js";
import { PresenceHub, type PresenceOptions } from "./presence/presence-hub.js";
import { PresenceRelay } from "./presence/presence-relay.js";
import { inspectServer, type ServerInspection } from "./admin/server-inspection.js";
import type { HostRuntime } from "./runtime/host-runtime.js";
import { nodeHostRuntime } from "./runtime/node-host-runtime.js";

/** Options of `createSyncServer`. */
export interface SyncServerOptions extends ServerHooks {
  /** The store definitions served; a space `{name}/{instance}` uses the store named `name`. */
  stores: readonly AnyStoreDefinition[];
  /** Where spaces live. @default in-memory storage (lost on exit) */
  storage?: Storage;
  /** Server-only replacements of shared mutators, by store name then mutator name. @default none */
  overrides?: MutatorOverrides;
  /** Bounds on input; see `Limits`. @default `defaultLimits` */
  limits?: Partial<Limits>;
  /** @default a logger that discards everything */
  logger?: Logger;
  /**
   * Publishes commits to the other server processes sharing `storage`, and hears theirs, so each
   * pokes its own clients (PostgreSQL LISTEN/NOTIFY, Redis). @default none (one process)
   */
  bus?: Bus;
  /** With a bus: how often served spaces re-read their version from storage, in ms. @default 5000 */
  busPollIntervalMs?: number;
  /** Timing of presence: frame interval, HTTP lease, and (with a bus) heartbeat and lease of processes. */
  presence?: PresenceOptions;
  /**
   * Deletes are remembered (as tombstones) for this many versions of a space; a client whose
   * state is older gets a full snapshot instead of the changes. @default 100000
   */
  tombstoneRetention?: number;
  /**
   * A space with no connection and no operation for this long drops its cached state (it is
   * reloaded from storage when next used). @default 60000
   */
  idleSpaceMs?: number;
  /** Milliseconds clock, for rate limiting. @default `performance.now` */
  now?: () => number;
  /** Clock that credential expiries (`authenticate`'s `expiresAt`) are read on. @default `Date.now` */
  wallClock?: () => number;
  /**
   * Turns on the admin endpoint of `listen` / `attach` (`GET /admin`, `/admin/state`), which
   * answers only requests presenting this secret (at least 16 characters). @default off
   */
  adminToken?: string;
  /**
   * The host's byte counting and scheduling, used by the connection handler and the spaces (which
   * touch no runtime global, so they run on any host). @default `nodeHostRuntime`
   */
  runtime?: HostRuntime;
}

/** Which connections `SyncServer.disconnect` ends. */
export interface DisconnectFilter {
  readonly userId?: string;
  readonly spaceId?: string;
  readonly clientId?: string;
  /** Sent in the `error` message and as the close reason. @default "Signed out by the server" */
  readonly reason?: string;
}

/** A running sync server, independent of any transport. */
export interface SyncServer {
  /**
   * Opens a connection: `send` delivers frames to the peer, `close` closes its transport. Feed
   * incoming frames to `handleMessage` and call `close()` when the transport closes.
   */
  connect(send: SendFrame, close: CloseTransport, request?: RequestInfo): ConnectionHandle;
  /** Runs action `name` in `spaceId` as `userId` (e.g. presence clean-up from `onDisconnect`). */
  runAction(
    spaceId: string,
    userId: string,
    name: string,
    args: unknown,
  ): Promise<{ ok: true; result: unknown } | { ok: false; error: WireError }>;
  /** Another process committed `version` of `spaceId`: catch up and poke. Called by the bus. */
  notify(spaceId: string, version: number): Promise<void>;
  readonly metrics: ServerMetrics;
  readonly limits: Limits;
  readonly logger: Logger;
  /**
   * Migrates every stored space of every store to its store's version now (spaces are otherwise
   * migrated when first opened), e.g. from `synced-store migrate` before a deploy.
   */
  migrate(): Promise<MigrationReport>;
  /** The admin endpoint's secret, when it is on. */
  readonly adminToken: string | undefined;
  /**
   * What operators see: the spaces this process holds (version, key count, clients per user
   * with their last mutation ids, recent rejections) and the bus. Unfiltered: never hand it to
   * a client.
   */
  inspect(): ServerInspection;
  /**
   * Ends the connections of this process that match `filter` (every field given must match):
   * each gets `error` `revoked` with `reason` and close code 4410, and its client reconnects with
   * fresh auth. To revoke a user or a token for good, make `authenticate` refuse it first, then
   * call this; with several processes, call it on each. Returns how many connections it ended.
   */
  disconnect(filter: DisconnectFilter): number;
  /** Resolves once every queued operation has finished. */
  settled(): Promise<void>;
  /** Stops listening to the bus and closes the storage (after queued operations); the bus itself stays open. */
  close(): Promise<void>;
}

/**
 * Creates the sync server engine. Mount it on a transport with `@synced-store/server/node`
 * (`listen`, `attachWebSocket`, `createHttpHandler`) or call `connect` from any other host.
 *
 * @example
 * const server = createSyncServer({ stores: [todo], storage: openSqliteStorage({ path: "todo.db" }),
 *   authenticate: ({ auth }) => verifyToken(auth) });
 * await listen(server, { port: 8080 });
 */
export function createSyncServer(options: SyncServerOptions): SyncServer {
  const stores = new Map<string, StoreRuntime>();
  const definitions = new Map<string, AnyStoreDefinition>();
  for (const def of options.stores) {
    if (stores.has(def.name)) throw new Error(`Two stores are named ${JSON.stringify(def.name)}`);
    stores.set(def.name, storeRuntime(def, options.overrides));
    definitions.set(def.name, def);
  }
  const storage = options.storage ?? createMemoryStorage();
  const limits = resolveLimits(options.limits);
  const logger = options.logger ?? silentLogger;
  const metrics = new ServerMetrics();
  const queue = new SpaceQueue();
  const spaces = new Map<string, Space>();
  let watcher: VersionWatcher | undefined;
  const runtime = options.runtime ?? nodeHostRuntime;
  const env = {
    runtime,
    storage,
    queue,
    limits,
    logger,
    metrics,
    tombstoneRetention: Math.max(1, options.tombstoneRetention ?? 100_000),
    onCommit: (spaceId: string, version: number) => watcher?.committed(spaceId, version),
  };

  const space = (spaceId: string): Space | undefined => {
    let s = spaces.get(spaceId);
    if (s === undefined) {
      const store = stores.get(spaceId.slice(0, spaceId.indexOf("/")));
      if (store === undefined) return undefined;
      s = new Space(spaceId, store, env);
      spaces.set(spaceId, s);
    }
    return s;
  };

  const notify = async (spaceId: string, version: number) => {
    // Only spaces this process holds need catching up; others load fresh when first used. A held
    // space without connections may be in the middle of a client's connect, whose snapshot may
    // predate this version: queued behind the connect, the catch-up pokes that client.
    const s = spaces.get(spaceId);
    if (s !== undefined) await s.notify(version);
  };
  if (options.bus !== undefined) {
    watcher = new VersionWatcher({
      bus: options.bus,
      storage,
      spaces: () => [...spaces.values()].filter((s) => s.connectionCount > 0).map((s) => s.id),
      // A failed catch-up is retried by the next poll (the watcher forgets that version).
      onAdvance: (spaceId, version) => notify(spaceId, version),
      ...(options.busPollIntervalMs === undefined ? {} : { pollIntervalMs: options.busPollIntervalMs }),
      onError: (error) => logger.warn("bus error or failed catch-up", { error: String(error) }),
    });
  }

  const stopCommitWatch = storage.onCommit?.((commit) => {
    metrics.storageCommit.observe(commit.durationMs);
    metrics.transactionsPerCommit.observe(commit.transactions);
  });

  const idleMs = options.idleSpaceMs ?? 60_000;
  const sweeper = setInterval(
    () => {
      const cutoff = performance.now() - idleMs;
      for (const [id, s] of spaces) if (s.connectionCount === 0 && s.lastUsed < cutoff) spaces.delete(id);
    },
    Math.max(1000, idleMs / 2),
  );
  sweeper.unref();

  let relay: PresenceRelay | undefined;
  const presence = new PresenceHub({
    ...options.presence,
    limits,
    logger,
    visible: options.presenceVisible,
    schemaOf: (spaceId) =>
      definitions.get(spaceId.slice(0, spaceId.indexOf("/")))?.presence as z.ZodType | undefined,
    onLocalChanges: (spaceId, set, removed) => relay?.published(spaceId, set, removed),
    onSweep: () => relay?.sweep(),
  });
  if (options.bus !== undefined) {
    relay = new PresenceRelay({
      bus: options.bus,
      hub: presence,
      logger,
      ...(options.presence?.heartbeatMs === undefined ? {} : { heartbeatMs: options.presence.heartbeatMs }),
      ...(options.presence?.leaseMs === undefined ? {} : { leaseMs: options.presence.leaseMs }),
    });
  }

  const sessions = new Set<Session>();
  const handlerEnv: HandlerEnvironment = {
    hooks: options,
    sessions,
    ...(options.wallClock ? { wallClock: options.wallClock } : {}),
    runtime,
    limits,
    logger,
    metrics,
    space,
    presence,
    ...(options.now ? { now: options.now } : {}),
  };
  return {
    connect: (send, close, request) => connect(handlerEnv, send, close, request),
    async runAction(spaceId, userId, name, args) {
      const s = space(spaceId);
      if (s === undefined)
        return { ok: false, error: { code: "unknown_space", message: `Unknown space ${spaceId}` } };
      await s.open();
      return s.action(userId, name, args);
    },
    notify,
    disconnect(filter) {
      const matching = [...sessions].filter(
        ({ info }) =>
          (filter.userId === undefined || info.userId === filter.userId) &&
          (filter.spaceId === undefined || info.spaceId === filter.spaceId) &&
          (filter.clientId === undefined || info.clientId === filter.clientId),
      );
      for (const session of matching) session.revoke(filter.reason ?? "Signed out by the server");
      return matching.length;
    },
    metrics,
    limits,
    logger,
    migrate: () => migrateSpaces(storage, stores.values(), logger, env.onCommit),
    adminToken: options.adminToken,
    inspect: () => inspectServer(spaces.values(), metrics.connections, watcher?.state() ?? null),
    async settled() {
      await queue.idle();
      await Promise.all([...spaces.values()].map((s) => s.settled()));
    },
    async close() {
      watcher?.close();
      presence.close();
      await relay?.close();
      clearInterval(sweeper);
      stopCommitWatch?.();
      await queue.idle();
      await storage.close();
    },
  };
}
