import { SyncedStoreError, type Upgrades } from "@synced-store/core";
import { OrderedMap, downgradeValue, hasDowngrades } from "@synced-store/core/internal";
import type { SnapshotResume, WireMutation } from "@synced-store/core/protocol";
import { inspectSpace, type InspectedSpace } from "../admin/server-inspection.js";
import type { Logger } from "../logger.js";
import type { ServerMetrics } from "../metrics/server-metrics.js";
import type {
  SpaceHead,
  Storage,
  StorageAccessHints,
  StorageReader,
  StorageTransaction,
} from "../storage/storage.js";
import type { SpaceQueue } from "../util/space-queue.js";
import type { Limits } from "./limits.js";
import { PokeBuffer, type SpaceConnection } from "./poke-buffer.js";
import { processPush, type PendingPush, type PushOutcome } from "./push-group.js";
import { runAction } from "./run-action.js";
import { DELETED, SpaceState, type ClientState, type WriteLayer } from "./space-state.js";
import type { StoreRuntime } from "./store-runtime.js";
import { quoteName, toWireError, type WireError } from "./wire-error.js";
import { pullResponse } from "./pull-response.js";
import { pullResponseFrames } from "./snapshot-frames.js";
import { acknowledgedRejections, caughtUpRejections, keptRejections } from "./acknowledged-rejections.js";
import { RejectionLog, rejectionBounds, wireRejections, type Rejection } from "./rejection-log.js";
import { admit, type Admission, type AdmissionRequest, type Admitted, type Refused } from "./admission.js";
import { migrateSpace, type SpaceMigration } from "./migrate-space.js";
import type { HostRuntime } from "../runtime/host-runtime.js";

/** What a space needs from the server around it. */
export interface SpaceEnvironment {
  readonly storage: Storage;
  readonly queue: SpaceQueue;
  readonly limits: Limits;
  readonly logger: Logger;
  readonly metrics: ServerMetrics;
  /** Called after each commit (e.g. to publish the version on a bus). */
  readonly onCommit: (spaceId: string, version: number) => void;
  /** Tombstones are kept for this many versions; older cookies get a full snapshot. */
  readonly tombstoneRetention: number;
  /** The host's scheduling (pokes flush on a later turn of the event loop). */
  readonly runtime: HostRuntime;
}

/** Most mutations committed in one group (one transaction, one version). */
const MAX_GROUP_MUTATIONS = 5000;

/**
 * One space's engine: its cached state, its connections, and every operation on it run one at
 * a time through the shared queue (keyed by space id). Commits are poked to every connection,
 * coalesced with the commits that finish in the same task.
 */
export class Space {
  // Only this class touches its state and connections: everything else goes through its methods.
  private readonly state = new SpaceState();
  private readonly connections = new Set<SpaceConnection>();
  /** Recent rejections, replayed to clients that reconnect before they heard of them. */
  private readonly rejections: RejectionLog;
  readonly #pokes: PokeBuffer;
  readonly #pushes: PendingPush[] = [];
  /** How clients of each older version read values, made once per version (see `readableFor`). */
  readonly #readable = new Map<number, ((key: string, value: unknown) => unknown) | undefined>();
  /** Arrival times of committed pushes whose poke has not gone out yet. */
  #unpoked: number[] = [];
  #drainQueued = false;
  #flushScheduled = false;

  constructor(
    readonly id: string,
    readonly store: StoreRuntime,
    private readonly env: SpaceEnvironment,
  ) {
    this.rejections = new RejectionLog(rejectionBounds(env.limits));
    this.#pokes = new PokeBuffer(rejectionBounds(env.limits));
  }

  /**
   * Loads the space and returns its head. A new space is created; one whose data is of an older
   * version of the store is first migrated, in a transaction of its own (see `migrateSpace`).
   */
  open(): Promise<SpaceHead> {
    return this.#run(async () => {
      const existing = await this.env.storage.read(
        this.id,
        async (r) => {
          const head = await r.head();
          if (head !== undefined && head.schemaVersion === this.store.version) await this.#catchUp(r, head);
          return head;
        },
        this.#catchUpHint(),
      );
      if (existing !== undefined && existing.schemaVersion === this.store.version) return existing;
      const migration = await this.env.storage.transact(this.id, async (tx) => {
        const result = await migrateSpace(tx, this.store, this.id);
        await this.#catchUp(tx, result.head);
        return result;
      });
      this.#reportMigration(migration);
      return migration.head;
    });
  }

  #reportMigration(migration: SpaceMigration): void {
    if (migration.kind === "newer") {
      this.env.logger.warn("space data is of a newer store version than this server's; serving it as it is", {
        space: this.id,
        dataVersion: migration.dataVersion,
        serverVersion: this.store.version,
      });
    } else if (migration.kind === "migrated") {
      this.env.logger.info("space migrated", {
        space: this.id,
        from: migration.from,
        to: this.store.version,
        keys: migration.writes,
      });
      if (migration.committedAt !== undefined) this.env.onCommit(this.id, migration.committedAt);
    }
  }

  /**
   * Opens the space and admits a connecting client: whether its state can be patched or must be
   * reset, and the rejections it may have missed. A client id new to the space is bound to the
   * connecting user; one bound to another user is refused.
   */
  async admit(request: AdmissionRequest): Promise<Admission> {
    await this.open();
    const admitted = await this.#run(() => this.#bind(request));
    if (!admitted.ok) return admitted;
    if (admitted.reset) return { ...admitted, missed: [] };
    const missed = await this.missedRejections(request.clientId, request.lastMutationId);
    return { ...admitted, missed };
  }

  /**
   * Admits against the cache when it knows the client. Otherwise in a storage transaction that
   * reads the client's row and, when there is none, writes one for this user: of two users racing
   * for one new id, in any processes sharing the storage, exactly one binds it (the transactions
   * of a space never overlap). A user's client rows in a space are bounded (`maxClientsPerUser`).
   */
  async #bind(request: AdmissionRequest): Promise<Admitted | Refused> {
    const { clientId, userId } = request;
    const cached = this.state.clients.get(clientId);
    if (cached !== undefined) {
      return admit({ historyId: this.state.historyId, version: this.state.version, client: cached }, request);
    }
    const { admitted, bound } = await this.env.storage.transact(this.id, async (tx) => {
      const head = await tx.head();
      await this.#catchUp(tx, head);
      const row = await tx.getClient(clientId);
      const client = row && { userId: row.userId, lastMutationId: row.lastMutationId };
      const view = { historyId: head.historyId, version: head.version, client };
      if (client !== undefined) return { admitted: admit(view, request), bound: client };
      if ((await tx.clients({ userId })).length >= this.env.limits.maxClientsPerUser) {
        return { admitted: { ok: false, reason: "too_many_clients" } as const, bound: undefined };
      }
      await tx.putClients([{ clientId, userId, lastMutationId: 0, version: head.version }]);
      return { admitted: admit(view, request), bound: { userId, lastMutationId: 0 } };
    });
    // Cached once committed: another process may have written the row without a new version,
    // which catching up (changes since a version) would not bring.
    if (bound !== undefined && !this.state.clients.has(clientId)) this.state.clients.set(clientId, bound);
    return admitted;
  }

  /**
   * How a client of `schemaVersion` reads values: through the `down` upgrades between it and the
   * server's version, or as they are (undefined) when none applies.
   */
  readonly #readableFor = (schemaVersion: number) => {
    if (!this.#readable.has(schemaVersion)) {
      const { upgrades, version } = this.store;
      const needed = schemaVersion < version && hasDowngrades(upgrades, version, schemaVersion);
      this.#readable.set(
        schemaVersion,
        needed ? readableAt(upgrades, version, schemaVersion, this.env.logger) : undefined,
      );
    }
    return this.#readable.get(schemaVersion);
  };

  /** Number of connections attached for pokes. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Queues a push batch of `clientId` for `userId`; resolves once it is committed. Pushes queued
   * while an earlier group runs (from any connection of the space) commit together in one
   * storage transaction and one version, so many small pushes cost one commit.
   */
  push(
    userId: string,
    clientId: string,
    mutations: readonly WireMutation[],
    receivedAt = performance.now(),
    schemaVersion = this.store.version,
  ): Promise<PushOutcome> {
    return new Promise((resolve, reject) => {
      this.#pushes.push({ userId, clientId, schemaVersion, mutations, receivedAt, resolve, reject });
      this.#scheduleDrain();
    });
  }

  #scheduleDrain(): void {
    if (this.#drainQueued) return;
    this.#drainQueued = true;
    void this.#run(() => this.#drain());
  }

  /** Commits the queued pushes, up to `MAX_GROUP_MUTATIONS` mutations, as one version. */
  async #drain(): Promise<void> {
    this.#drainQueued = false;
    const group: PendingPush[] = [];
    let size = 0;
    while (
      this.#pushes.length > 0 &&
      (group.length === 0 || size + this.#pushes[0]!.mutations.length <= MAX_GROUP_MUTATIONS)
    ) {
      const next = this.#pushes.shift()!;
      size += next.mutations.length;
      group.push(next);
    }
    if (this.#pushes.length > 0) this.#scheduleDrain();
    if (group.length === 0) return;
    const { metrics } = this.env;
    let began: number | undefined;
    let wrote = 0;
    try {
      const { outcomes, version, writes, clients } = await this.env.storage.transact(
        this.id,
        async (tx) => {
          if (began === undefined) {
            began = performance.now();
            for (const p of group) metrics.pushQueue.observe(began - p.receivedAt);
          }
          const head = await tx.head();
          await this.#catchUp(tx, head);
          const writes: WriteLayer = new OrderedMap();
          const clients = new Map<string, ClientState>();
          const outcomes: PushOutcome[] = [];
          const ctx = {
            store: this.store,
            state: this.state,
            limits: this.env.limits,
            metrics: this.env.metrics,
          };
          for (const p of group) outcomes.push(await processPush(ctx, p, writes, clients));
          if (clients.size === 0) return { outcomes, version: undefined, writes, clients };
          const version = head.version + 1;
          await tx.putKeys(version, toKeyWrites(writes));
          await tx.putClients([...clients].map(([clientId, c]) => ({ clientId, ...c, version })));
          await tx.setVersion(version);
          await this.#collectTombstones(tx, version);
          if (tx.putRejections !== undefined) {
            const rows = group.flatMap((p, i) =>
              outcomes[i]!.errors.map((e) => ({ clientId: p.clientId, mutationId: e.id, ...e.error })),
            );
            if (rows.length > 0) await tx.putRejections(version, rows, rejectionBounds(this.env.limits));
          }
          wrote = performance.now();
          return { outcomes, version, writes, clients };
        },
        this.#catchUpHint(),
      );
      if (version !== undefined) {
        metrics.pushTransaction.observe(wrote - began!);
        metrics.pushCommit.observe(performance.now() - wrote);
        metrics.pushesPerVersion.observe(group.length);
        const rejected = new Map<string, Rejection[]>();
        group.forEach((p, i) => {
          const errors = outcomes[i]!.errors;
          this.rejections.record(p.clientId, errors);
          if (errors.length > 0) rejected.set(p.clientId, [...(rejected.get(p.clientId) ?? []), ...errors]);
        });
        for (const p of group) this.#unpoked.push(p.receivedAt);
        this.#committed(version, writes, clients, rejected);
      }
      group.forEach((p, i) => p.resolve(outcomes[i]!));
      // Queued after the outcomes' handlers: a client hears of its rejected mutation before the
      // poke that acknowledges it. The poke carries the rejection too (clients that read it do
      // not depend on this order, which a lossy transport may not keep).
      if (version !== undefined) this.#scheduleFlush();
    } catch (error) {
      for (const p of group) p.reject(error);
    }
  }

  /**
   * Rejections of `clientId` after `afterId` that the client may not have heard of: from storage
   * when it keeps them (they survive restarts and reach other processes), else from memory.
   */
  private async missedRejections(clientId: string, afterId: number): Promise<Rejection[]> {
    const known = this.state.clients.get(clientId);
    if (known === undefined || known.lastMutationId <= afterId) return [];
    return this.env.storage.read(this.id, (r) => keptRejections(r, this.rejections, clientId, afterId));
  }

  /**
   * Answers a pull of `conn` from `baseVersion` (a snapshot with `reset` when needed, in parts
   * under the frame limit, resumed after `resume.after_key` when the space is still at its version).
   * All parts go out in this one turn of the queue, so no poke comes between them.
   */
  pull(
    conn: SpaceConnection,
    baseVersion: number,
    resume?: SnapshotResume,
    lastMutationId?: number,
  ): Promise<void> {
    return this.#run(async () => {
      const message = await this.env.storage.read(this.id, async (r) => {
        const response = await pullResponse(
          r,
          conn.userId,
          baseVersion,
          conn.resetPending,
          this.#readableFor(conn.schemaVersion),
          resume,
        );
        if (lastMutationId === undefined) return response;
        const rejections = await acknowledgedRejections({
          reader: r,
          log: this.rejections,
          clientId: conn.clientId,
          afterId: lastMutationId,
          response,
          bounds: rejectionBounds(this.env.limits),
        });
        return rejections.length === 0 ? response : { ...response, rejections: wireRejections(rejections) };
      });
      this.env.metrics.pulls++;
      conn.resetPending = false;
      conn.version = Math.max(conn.version, message.max_included_version);
      const partBytes = Math.floor(this.env.limits.maxFrameBytes / 2);
      const { frames, snapshotParts } = pullResponseFrames(message, partBytes, (text) =>
        this.env.runtime.byteLength(text),
      );
      this.env.metrics.snapshotParts += snapshotParts;
      for (const frame of frames) conn.sendFrame(frame);
    });
  }

  /** Runs action `name`; its writes commit as a new version. Resolves with the result or a wire error. */
  action(
    userId: string,
    name: string,
    args: unknown,
  ): Promise<{ ok: true; result: unknown } | { ok: false; error: WireError }> {
    return this.#run(async () => {
      const def = this.store.action(name);
      this.env.metrics.actions++;
      if (def === undefined) {
        this.env.metrics.actionsFailed++;
        return {
          ok: false,
          error: { code: "unknown_action", message: `Unknown action ${quoteName(name)}` },
        };
      }
      try {
        // The action runs outside any storage transaction (it may call other systems for a
        // while; SQLite has one writer for all spaces), on the cache brought up to date first.
        // Its writes then commit in a short transaction, unless another process committed to
        // the space meanwhile: then nothing is written and the caller may retry.
        await this.#readAndCatchUp();
        const ranOn = { version: this.state.version, historyId: this.state.historyId };
        const { value, writes } = await runAction(def, {
          name,
          args,
          userId,
          spaceId: this.id,
          state: this.state,
          patterns: this.store.patterns,
          limits: this.env.limits,
        });
        // The result travels as JSON: normalize it before committing, so a result that cannot
        // be encoded fails the action instead of the connection.
        const result = value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
        if (writes.size === 0) return { ok: true, result };
        const version = await this.env.storage.transact(this.id, async (stx) => {
          const head = await stx.head();
          if (head.version !== ranOn.version || head.historyId !== ranOn.historyId) {
            throw new SyncedStoreError(
              "action_failed",
              "The space changed while the action ran; nothing was written, try again",
            );
          }
          const next = head.version + 1;
          await stx.putKeys(next, toKeyWrites(writes));
          await stx.setVersion(next);
          return next;
        });
        this.#committed(version, writes, new Map());
        this.#scheduleFlush();
        return { ok: true, result };
      } catch (error) {
        this.env.metrics.actionsFailed++;
        return {
          ok: false,
          error: toWireError(error, "action_failed", this.env.limits.maxErrorMessageBytes),
        };
      }
    });
  }

  /** Another process committed `version`: catch up and poke our connections. */
  notify(version: number): Promise<void> {
    return this.#run(async () => {
      // A queued push group catches up first thing in its transaction (under the space's lock),
      // and pokes what it finds there: a read of our own would cost the same round trips twice.
      if (version <= this.state.version || this.#drainQueued) return;
      await this.#readAndCatchUp();
    });
  }

  /** What operators see of this space (the admin endpoint). */
  inspect(): InspectedSpace {
    const { id, state, connections, rejections } = this;
    return inspectSpace({ id, state, connections, rejections });
  }

  /** Registers `conn` for pokes (after `open`). */
  attach(conn: SpaceConnection): void {
    this.connections.add(conn);
  }

  /** Stops poking `conn`. */
  detach(conn: SpaceConnection): void {
    this.connections.delete(conn);
  }

  /** Resolves when every queued operation of this space has run and its pokes went out. */
  async settled(): Promise<void> {
    await this.#run(() => Promise.resolve());
    this.#flush();
  }

  /** Every so many versions, drops tombstones older than the retention window (same transaction). */
  async #collectTombstones(tx: StorageTransaction, version: number): Promise<void> {
    const retention = this.env.tombstoneRetention;
    const every = Math.max(1, Math.min(1000, retention));
    if (version % every !== 0 || version <= retention) return;
    await tx.collectTombstones(version - retention);
    this.state.horizon = version - retention;
  }

  /** `performance.now()` of the last operation queued, for evicting idle spaces. */
  lastUsed = performance.now();

  #run<T>(task: () => Promise<T>): Promise<T> {
    this.lastUsed = performance.now();
    return this.env.queue.run(this.id, task);
  }

  /** Brings the cache up to what storage holds now, in a read of its own. */
  #readAndCatchUp(): Promise<void> {
    return this.env.storage.read(
      this.id,
      async (r) => {
        const head = await r.head();
        if (head !== undefined) await this.#catchUp(r, head);
      },
      this.#catchUpHint(),
    );
  }

  /** What a catch-up of the cache reads, for storage to fetch with its first round trip. */
  #catchUpHint(): StorageAccessHints | undefined {
    return this.state.loaded ? { changesSince: this.state.version } : undefined;
  }

  async #catchUp(reader: StorageReader, head: SpaceHead): Promise<void> {
    const result = await this.state.catchUp(reader, head);
    if (result.kind === "changes") {
      const rejections = await caughtUpRejections(reader, this.connections, {
        before: result.acknowledgedBefore,
        after: result.clients,
      });
      this.#pokes.add(result.from, this.state.version, result.writes, result.clients, rejections);
      this.#scheduleFlush();
    } else if (result.kind === "reloaded" && this.connections.size > 0) {
      // Our connections' versions may no longer line up with the reloaded state: have them
      // reconnect, which checks their history and version afresh.
      this.env.logger.warn("space reloaded from storage; reconnecting its clients", { space: this.id });
      for (const conn of [...this.connections]) conn.drop("Space state reloaded from storage; reconnect");
    }
  }

  #committed(
    version: number,
    writes: WriteLayer,
    clients: ReadonlyMap<string, ClientState>,
    rejections?: ReadonlyMap<string, readonly Rejection[]>,
  ): void {
    this.state.apply(version, writes, clients);
    this.env.metrics.commits++;
    this.#pokes.add(version, version, writes, clients, rejections);
    this.env.onCommit(this.id, version);
  }

  /**
   * Pokes what was committed, on a microtask: after the commits that settle in this same task (a
   * group commit settles many) and the handlers already queued, and no later. Waiting for the
   * next turn of the event loop would make every peer wait behind whatever frames arrive
   * meanwhile.
   */
  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    const waited = this.#pokes.flush(this.connections, this.#readableFor);
    if (waited !== undefined) this.env.metrics.observePokeLatency(waited);
    if (this.#unpoked.length === 0) return;
    const now = performance.now();
    for (const receivedAt of this.#unpoked) this.env.metrics.pushLatency.observe(now - receivedAt);
    this.#unpoked = [];
  }
}

function toKeyWrites(writes: WriteLayer) {
  return [...writes].map(([key, value]) =>
    value === DELETED ? { key, deleted: true as const } : { key, deleted: false as const, value },
  );
}

/** Values as a client of version `to` reads them; a `down` that throws leaves the value as it is. */
function readableAt(upgrades: Upgrades, from: number, to: number, logger: Logger) {
  return (key: string, value: unknown): unknown => {
    try {
      return downgradeValue(upgrades, from, to, key, value);
    } catch (error) {
      logger.error("downgrading a value for an older client failed", { key, to, error: String(error) });
      return value;
    }
  };
}
