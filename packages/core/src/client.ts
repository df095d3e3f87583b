import { v4 as uuidv4 } from "uuid";
import type { z } from "zod";
import type {
  ActionApi,
  KeyDiff,
  MutateApi,
  Query,
  Store,
  SubscribeOptions,
  WatchOptions,
} from "./client-types.js";
import { OfflineError, SyncedStoreError, ValidationError, type MutationRejectedError } from "./errors.js";
import type { PersistenceProvider } from "./kv/persistence.js";
import { memoryPersistence } from "./persistence/memory-persistence.js";
import { PresenceChannel } from "./presence/presence-channel.js";
import type { AnyStoreDefinition, PresenceOf } from "./schema/define-store.js";
import { Inspector } from "./inspect/store-inspector.js";
import { LocalStore } from "./store/local-store.js";
import type { PeerTarget } from "./store/peer-target.js";
import { linkTabs, type TabOptions } from "./tabs/link-tabs.js";
import type { ReadTransaction } from "./store/transaction.js";
import { SubscriptionManager } from "./subscriptions/subscription-manager.js";
import { WatchRegistry } from "./subscriptions/watch-registry.js";
import type { ConnectionStatus, SyncStatus, UpdateNeeded } from "./sync/status.js";
import type { SyncConnector } from "./sync/sync-layer.js";
import { Listeners } from "./util/listeners.js";
import { silentLogger, type Logger } from "./util/logger.js";

/** Options of `createStore`. */
export interface CreateStoreOptions {
  /** Instance id of the space; the space id is `{definition.name}/{space}`. */
  readonly space: string;
  /** The user the store acts for (the server authenticates it separately). */
  readonly userId: string;
  /** @default the persisted client id, else a new random one */
  readonly clientId?: string;
  /** Where state survives restarts. @default a fresh in-memory provider (nothing survives) */
  readonly persistence?: PersistenceProvider;
  /** Attaches a sync layer. Without one the store stays offline and actions reject. */
  readonly connect?: SyncConnector;
  /**
   * Keeps this store coherent with the other tabs of this browser showing the same space for the
   * same user, also offline: a mutation in one tab shows in the others at once, and the queue of a
   * tab closed before it could push is pushed by another tab or the next load, exactly once. Each
   * tab claims its own client id (a free one of a closed tab, with its queue, or a new one), so
   * `clientId` is ignored and known once `ready` resolves. Without `BroadcastChannel` or Web
   * Locks the store runs alone. @default no tab coordination
   */
  readonly tabs?: TabOptions;
  /** Links the store with other tabs by hand (what `tabs` sets up); returns the unlink. */
  readonly peers?: (target: PeerTarget) => () => void;
  /** Errors no caller can receive (a throwing listener or query without `onError`). @default logs them */
  readonly onError?: (error: unknown) => void;
  /** @default a logger that discards everything */
  readonly logger?: Logger;
  /** Clock for mutation timestamps. @default Date.now */
  readonly now?: () => number;
  /**
   * Record for `store.inspect()` from the start (the first frames, the first acknowledgements)
   * instead of from its first call. @default false
   */
  readonly inspect?: boolean;
  /**
   * Called once `status.updateNeeded` is set: the server no longer serves this app's version,
   * or this browser holds data of a newer version. Show "a new version is available, reload".
   * @default none (the status still shows it)
   */
  readonly onUpdateNeeded?: (info: UpdateNeeded) => void;
}

const OFFLINE: ConnectionStatus = { connection: "offline", lastError: null };

/**
 * Creates the local-first store of one space for one user: typed mutators that apply at once and
 * sync in the background, live queries, key watches, and the sync status.
 */
export function createStore<D extends AnyStoreDefinition>(
  definition: D,
  options: CreateStoreOptions,
): Store<D> {
  const spaceId = `${definition.name}/${options.space}`;
  const logger = options.logger ?? silentLogger;
  const onError = options.onError ?? ((error: unknown) => logger.error("Synced-Store error", error));
  const persistenceName = `${spaceId}/${options.userId}${options.clientId ? `/${options.clientId}` : ""}`;
  const provider = options.persistence ?? memoryPersistence();
  const { tabs, ...untabbed } = options;
  const tabLink =
    tabs &&
    linkTabs({
      tabs,
      name: `${spaceId}/${options.userId}`,
      version: definition.version,
      openPersistence: (clientId) => provider.open(`${spaceId}/${options.userId}/${clientId}`),
      openOrphan: (clientId, peers) =>
        createStore(definition, { ...untabbed, persistence: provider, clientId, peers }),
      onError,
    });
  const inspector = new Inspector(options.now ? { now: options.now } : {}, onError);
  if (options.inspect) inspector.start();
  const local = new LocalStore({
    definition,
    userId: options.userId,
    clientId: options.clientId ?? uuidv4(),
    persistence: tabLink?.persistence ?? provider.open(persistenceName),
    logger,
    ...(options.now ? { now: options.now } : {}),
    tap: inspector,
  });
  const subscriptions = new SubscriptionManager(local, onError, inspector.subscriptionRan);
  const watches = new WatchRegistry(onError);
  // Bumped on every change, so a one-shot query can tell the store moved under it.
  let changeCount = 0;
  local.onChange((change) => {
    changeCount++;
    watches.notify(change);
  });
  const presence = new PresenceChannel<PresenceOf<D>>(
    definition.presence as z.ZodType | undefined,
    () => local.clientId,
    onError,
  );
  const connection = options.connect?.(local, {
    spaceId,
    definition,
    logger,
    onError,
    tap: inspector,
    presence,
  });
  const unlinkPeers = (tabLink?.peers ?? options.peers)?.(local);

  const statusListeners = new Listeners<[SyncStatus]>();
  /** Set when persisted state is of a newer version than this app (the store cannot load it). */
  let localUpdateNeeded: UpdateNeeded | null = null;
  let status = computeStatus();
  // The one place the status is put together: the sync layer's connection and error, this
  // store's pending count, and `syncing` derived from both.
  function computeStatus(): SyncStatus {
    const c = connection?.status() ?? OFFLINE;
    const pendingCount = local.pendingCount();
    const syncing = c.connection === "online" && pendingCount > 0;
    const updateNeeded = localUpdateNeeded ?? c.updateNeeded ?? null;
    return { connection: c.connection, pendingCount, syncing, lastError: c.lastError, updateNeeded };
  }
  function refreshStatus(): void {
    const next = computeStatus();
    if (
      next.connection === status.connection &&
      next.pendingCount === status.pendingCount &&
      next.syncing === status.syncing &&
      next.lastError === status.lastError &&
      next.updateNeeded === status.updateNeeded
    )
      return;
    const newlyNeeded = next.updateNeeded !== null && status.updateNeeded === null;
    status = next;
    statusListeners.emit(onError, status);
    if (newlyNeeded && next.updateNeeded !== null) options.onUpdateNeeded?.(next.updateNeeded);
  }
  local.onPendingCountChange(refreshStatus);
  connection?.onStatusChange(refreshStatus);
  void local.ready.then(refreshStatus, (error: unknown) => {
    if (error instanceof SyncedStoreError && error.code === "persisted_version_ahead") {
      localUpdateNeeded = {
        reason: "persisted_newer",
        clientVersion: definition.version,
        message: error.message,
      };
      refreshStatus();
    }
    onError(error);
  });
  inspector.attach({
    spaceId,
    userId: options.userId,
    get clientId() {
      return local.clientId;
    },
    historyId: () => local.historyId(),
    baseVersion: () => local.baseVersion(),
    lastAcknowledgedId: () => local.lastAcknowledgedId(),
    status: () => status,
    layers: () => local.layers(),
    inspectPending: () => local.inspectPending(),
    subscriptions: () => subscriptions.inspect(),
    onChange: (listener) => local.onChange(listener),
    onStatusChange: (listener) => statusListeners.add(listener),
  });

  const mutate: Record<string, (args: unknown) => Promise<unknown>> = {};
  for (const name of Object.keys(definition.mutatorDefs as object)) {
    mutate[name] = (args) => local.mutate(name, args);
  }
  const action: Record<string, (args: unknown) => Promise<unknown>> = {};
  for (const [name, def] of Object.entries(definition.actionDefs as Record<string, { args: z.ZodType }>)) {
    action[name] = async (args) => {
      const parsed = def.args.safeParse(args);
      if (!parsed.success) {
        throw new ValidationError("invalid_args", `Invalid args for action ${name}`, parsed.error.issues);
      }
      if (connection === undefined) throw new OfflineError("No sync layer is attached to this store");
      return connection.action(name, args);
    };
  }

  let closed = false;
  return {
    definition,
    spaceId,
    userId: options.userId,
    get clientId() {
      return local.clientId;
    },
    ready: local.ready,
    mutate: mutate as MutateApi<D>,
    action: action as ActionApi<D>,
    presence: {
      get: () => presence.get(),
      set: (state) => presence.set(state),
      update: (partial) => presence.update(partial),
      clear: () => presence.clear(),
      others: () => presence.others(),
      subscribe: (listener) => presence.subscribe(listener),
      subscribeOwn: (listener) => presence.subscribeOwn(listener),
    },
    async query<TResult>(query: Query<D, TResult>): Promise<TResult> {
      await local.ready;
      // A query that awaits may interleave with a change; run it again so it reads one state.
      for (let attempt = 0; ; attempt++) {
        const seen = changeCount;
        const result = await query(local.readTransaction() as ReadTransaction);
        if (seen === changeCount || attempt >= 100) return result;
      }
    },
    subscribe<TResult>(
      query: Query<D, TResult>,
      opts: SubscribeOptions<TResult> | ((result: TResult) => void),
    ): () => void {
      if (closed) throw new SyncedStoreError("closed", "The store is closed");
      const o = typeof opts === "function" ? { onData: opts } : opts;
      return subscriptions.subscribe(query, o.onData, o.onError);
    },
    watch(prefix: string, onChange: (diffs: readonly KeyDiff[]) => void, opts?: WatchOptions): () => void {
      if (!opts?.initialValues) return watches.watch(prefix, onChange);
      let off: (() => void) | undefined;
      let cancelled = false;
      void local.ready.then(() => {
        if (cancelled) return;
        // Read and register in one synchronous step, so no change falls between them.
        const entries = local.readTransaction().readScan({ prefix });
        off = watches.watch(prefix, onChange);
        if (entries.length === 0) return;
        try {
          onChange(entries.map((e) => ({ op: "add", key: e.key, newValue: e.value })));
        } catch (error) {
          onError(error);
        }
      }, onError);
      return () => {
        cancelled = true;
        off?.();
      };
    },
    get status() {
      return status;
    },
    onStatusChange(listener: (s: SyncStatus) => void) {
      return statusListeners.add(listener);
    },
    onRejection(listener: (error: MutationRejectedError) => void) {
      return local.onRejection(listener);
    },
    inspect() {
      return inspector.start();
    },
    async close() {
      if (closed) return;
      closed = true;
      inspector.stop();
      subscriptions.close();
      unlinkPeers?.();
      await connection?.close();
      presence.disconnected();
      await local.close();
    },
  };
}
