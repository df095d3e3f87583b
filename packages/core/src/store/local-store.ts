import {
  SyncedStoreError,
  ValidationError,
  toSyncedStoreError,
  type MutationRejectedError,
} from "../errors.js";
import { OrderedMap } from "../kv/ordered-map.js";
import type { PersistBatch, Persistence, PersistedMeta } from "../kv/persistence.js";
import type { WireMutation } from "../protocol/messages.js";
import type { AnyStoreDefinition } from "../schema/define-store.js";
import type { CompiledPattern } from "../schema/key-pattern.js";
import { isServerOnlyKey } from "../schema/keys.js";
import { deferred } from "../util/deferred.js";
import { Listeners } from "../util/listeners.js";
import { silentLogger, type Logger } from "../util/logger.js";
import { DELETED, LayeredView, mergeLayers, type Layer } from "./layered-view.js";
import { toPersisted, toWire, type PendingMutation } from "./pending-mutation.js";
import { PendingQueue } from "./pending-queue.js";
import { ReadSet } from "./read-set.js";
import { PeerMutations } from "./peer-mutations.js";
import type { PeerTarget } from "./peer-target.js";
import { StoreReadTransaction, type ReadRecorder, type TransactionContext } from "./read-transaction.js";
import { WriteChanges, collectChanges, type StoreChange } from "./store-change.js";
import { RejectionStream } from "./rejection-stream.js";
import { changedUnderPending, rebase } from "./rebase.js";
import { upgradePersistedState } from "./upgrade-persisted-state.js";
import { runMutator, type RunnableMutator } from "./run-mutator.js";
import type { StoreTap } from "./store-tap.js";
import type { ApplyResult, ServerUpdate, SyncTarget } from "./server-update.js";

/** Options of `LocalStore`. */
export interface LocalStoreOptions {
  readonly definition: AnyStoreDefinition;
  readonly userId: string;
  /** Used unless persisted state names another client id (then that one is adopted on load). */
  readonly clientId: string;
  readonly persistence: Persistence;
  /** @default a logger that discards everything */
  readonly logger?: Logger;
  /** Clock for mutation timestamps. @default Date.now */
  readonly now?: () => number;
  /** Hears settled mutations (the store's inspector). @default none */
  readonly tap?: StoreTap;
}

/** A pending mutation shown by `inspectPending`: this tab's own, or another tab's. */
export interface PendingDetail {
  readonly clientId: string;
  readonly id: number;
  readonly name: string;
  readonly args: unknown;
  readonly timestamp: number;
  /** Handed to the sync layer (the server may hold it); null for another tab's mutation. */
  readonly pushed: boolean | null;
}

/** What `mutate` returns once the effect is visible and persisted. */
export interface LocalMutation {
  readonly id: number;
  readonly confirmed: Promise<void>;
}

/**
 * The client's state: `base` (server state at `baseVersion`), pending mutations, and the overlay
 * (the pending mutations' combined effect over base). Reads see base + overlay. Mutations and
 * server updates run one at a time; each emits the keys it changed, never the whole store.
 */
export class LocalStore implements SyncTarget, PeerTarget {
  readonly ready: Promise<void>;
  readonly userId: string;
  #clientId: string;
  readonly #definition: AnyStoreDefinition;
  readonly #patterns: readonly CompiledPattern[];
  readonly #mutators: Readonly<Record<string, RunnableMutator | undefined>>;
  readonly #persistence: Persistence;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #tap: StoreTap | undefined;

  #base = new OrderedMap<unknown>({ indexed: true });
  #overlay: Layer = new OrderedMap();
  #view = new LayeredView(this.#base, [this.#overlay]);
  /** The overlay is also a pending mutation's `writes`: copy it before writing to it. */
  #overlayShared = false;
  readonly #queue: PendingQueue;
  #baseVersion = 0;
  #historyId: string | null = null;
  /** Other tabs' pending mutations, shown over base with ours (see `PeerTarget`). */
  readonly #peers: PeerMutations;
  readonly #localMutationListeners = new Listeners<[WireMutation]>();
  #tail: Promise<unknown>;
  #closed = false;
  /** Set when loading persisted state failed: nothing may then run over an empty state. */
  #loadError: unknown;

  readonly #changeListeners = new Listeners<[StoreChange]>();
  readonly #rejections = new RejectionStream((error) => this.#onListenerError(error));
  readonly #pendingAddedListeners = new Listeners<[]>();
  readonly #pendingCountListeners = new Listeners<[number]>();

  constructor(options: LocalStoreOptions) {
    this.#definition = options.definition;
    this.#patterns = options.definition.patterns;
    this.#mutators = options.definition.mutatorDefs as Record<string, RunnableMutator>;
    this.#peers = new PeerMutations(this.#mutators);
    this.#queue = new PendingQueue(this.#mutators);
    this.userId = options.userId;
    this.#clientId = options.clientId;
    this.#persistence = options.persistence;
    this.#logger = options.logger ?? silentLogger;
    this.#now = options.now ?? Date.now;
    this.#tap = options.tap;
    this.ready = this.#load();
    this.#tail = this.ready.catch((error: unknown) => {
      this.#loadError = error ?? new Error("Loading persisted state failed");
    });
  }

  /** Fixed once `ready` resolves (a persisted client id wins over the one passed in). */
  get clientId(): string {
    return this.#clientId;
  }

  baseVersion(): number {
    return this.#baseVersion;
  }

  historyId(): string | null {
    return this.#historyId;
  }

  lastAcknowledgedId(): number {
    return this.#queue.lastAcknowledgedId;
  }

  pendingCount(): number {
    return this.#queue.size;
  }

  pendingMutations(afterId: number): WireMutation[] {
    return this.#queue.handOut(afterId);
  }

  /** Like `pendingMutations`, for other readers than the sync layer (no effect on coalescing). */
  localPendingMutations(afterId = 0): WireMutation[] {
    return this.#queue.wire(afterId);
  }

  onLocalMutation(listener: (mutation: WireMutation) => void): () => void {
    return this.#localMutationListeners.add(listener);
  }

  /** Number of other tabs' mutations shown. */
  peerCount(): number {
    return this.#peers.size;
  }

  applyPeerMutations(clientId: string, mutations: readonly WireMutation[], replace: boolean): Promise<void> {
    return this.#changePeers(clientId, () => this.#peers.apply(clientId, mutations, replace));
  }

  applyPeerAck(clientId: string, lastMutationId: number, version: number): Promise<void> {
    return this.#changePeers(clientId, () =>
      this.#peers.acknowledgeAt(clientId, lastMutationId, version, this.#baseVersion, this.#clientId),
    );
  }

  /** Runs `change` on the peer mutations; when it reports a change, replays and notifies. */
  #changePeers(clientId: string, change: () => boolean): Promise<void> {
    return this.#serially(async () => {
      if (this.#closed || clientId === this.#clientId) return;
      const before = new Map<string, unknown>();
      for (const key of this.#overlay.keys()) before.set(key, this.#view.get(key));
      if (!change()) return;
      await this.#replay();
      for (const key of this.#overlay.keys()) if (!before.has(key)) before.set(key, this.#base.get(key));
      this.#emitChange({ changes: collectChanges(before, (key) => this.#view.get(key)), reset: false });
    });
  }

  /** A read transaction over the current view (base + pending), recording reads if asked. */
  readTransaction(recorder?: ReadRecorder): StoreReadTransaction {
    if (this.#closed) throw new SyncedStoreError("closed", "The store is closed");
    return new StoreReadTransaction(this.#ctx(), this.#view, recorder);
  }

  /** The base alone (server state at `baseVersion`), for tests and tools. */
  baseEntries(): IterableIterator<[string, unknown]> {
    return this.#base.entries();
  }

  /** Base and overlay (what pending mutations write over it, `DELETED` for deletes), for tools. */
  layers(): { readonly base: OrderedMap<unknown>; readonly overlay: Layer } {
    return { base: this.#base, overlay: this.#overlay };
  }

  /** This tab's pending mutations, then other tabs' ones shown here, for tools. */
  inspectPending(): PendingDetail[] {
    const pushedUpTo = this.#queue.handedOutId;
    const own = this.#queue.mutations.map((m) => ({
      clientId: this.#clientId,
      id: m.id,
      name: m.name,
      args: m.args,
      timestamp: m.timestamp,
      pushed: m.id <= pushedUpTo,
    }));
    const peers = this.#peers.all().map((m) => ({
      clientId: m.clientId,
      id: m.id,
      name: m.name,
      args: m.parsed.ok ? m.parsed.value : undefined,
      timestamp: m.timestamp,
      pushed: null,
    }));
    return [...own, ...peers];
  }

  /**
   * Runs mutator `name` optimistically: validates args (nothing is queued when they fail), runs
   * it over the current view, makes its effect visible, records it as pending with the next id and
   * persists it before resolving. A mutator that throws leaves no effect and uses no id.
   */
  mutate(name: string, args: unknown): Promise<LocalMutation> {
    const def = this.#mutators[name];
    if (def === undefined) {
      return Promise.reject(
        new SyncedStoreError("unknown_mutator", `Unknown mutator ${JSON.stringify(name)}`),
      );
    }
    const parsed = def.args.safeParse(args);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "args"}: ${i.message}`).join("; ");
      return Promise.reject(
        new ValidationError("invalid_args", `Invalid args for ${name}: ${detail}`, parsed.error.issues),
      );
    }
    return this.#serially(async () => {
      if (this.#closed) throw new SyncedStoreError("closed", "The store is closed");
      const reads = new ReadSet();
      const tx = await runMutator(def, name, parsed.data, this.#view, this.#ctx(), this.#patterns, reads);
      const into = this.#queue.coalesceTarget(name, def, parsed.data);
      const replaced = into === undefined ? undefined : this.#queue.mutations[into];
      const m: PendingMutation = {
        id: replaced?.id ?? this.#queue.nextId(),
        name,
        args,
        parsed: { ok: true, value: parsed.data },
        // A coalesced call keeps its place in time, so tabs keep ordering it alike.
        timestamp: replaced?.timestamp ?? this.#now(),
        writes: replaced ? mergeLayers(replaced.writes, tx.writes) : tx.writes,
        // Merged writes are not one run's effect: a coalesced call always runs again on rebase.
        reads: replaced ? undefined : reads,
        confirmed: replaced?.confirmed ?? deferred<void>(),
      };
      if (into === undefined) this.#queue.add(m);
      else this.#queue.replace(into, m);
      const view = this.#view;
      const changes = new WriteChanges(tx.writes, (key) => view.get(key));
      this.#layOver(tx.writes);
      const persisted = this.#persistence.write({ pendingPut: [toPersisted(m)] });
      this.#emitChange({ changes, reset: false });
      this.#localMutationListeners.emit(this.#onListenerError, toWire(m));
      if (replaced === undefined) this.#pendingCountListeners.emit(this.#onListenerError, this.#queue.size);
      this.#pendingAddedListeners.emit(this.#onListenerError);
      await persisted;
      return { id: m.id, confirmed: m.confirmed.promise };
    });
  }

  applyServerUpdate(update: ServerUpdate): Promise<ApplyResult> {
    return this.#serially(() => this.#applyServerUpdate(update));
  }

  recordRejection(mutationId: number, code: string, message: string): void {
    const late = this.#queue.recordRejection(mutationId, code, message);
    // Acknowledged before its rejection arrived: `confirmed` has resolved, the UI still hears it.
    if (late) {
      this.#rejections.emit(late);
      this.#tap?.settled([], [late], this.#baseVersion);
    }
  }

  adoptHistory(historyId: string, serverLastMutationId: number): Promise<void> {
    return this.#serially(async () => {
      const oldIds = this.#queue.renumber(serverLastMutationId);
      this.#historyId = historyId;
      // The base belongs to another history: its version means nothing there.
      this.#baseVersion = 0;
      await this.#persistence.write({
        meta: this.#meta(),
        pendingDel: oldIds,
        pendingPut: this.#queue.mutations.map(toPersisted),
      });
    });
  }

  onPendingAdded(listener: () => void): () => void {
    return this.#pendingAddedListeners.add(listener);
  }

  /** Calls `listener` with the keys each mutation or server update changed. */
  onChange(listener: (change: StoreChange) => void): () => void {
    return this.#changeListeners.add(listener);
  }

  /** Calls `listener` for every mutation the server rejected. */
  onRejection(listener: (error: MutationRejectedError) => void): () => void {
    return this.#rejections.add(listener);
  }

  /** Calls `listener` with the new count whenever the number of pending mutations changes. */
  onPendingCountChange(listener: (count: number) => void): () => void {
    return this.#pendingCountListeners.add(listener);
  }

  /**
   * Waits for running work, then releases persistence and the state held in memory. Later
   * mutations and reads reject, and so does the `confirmed` of every mutation still pending (it
   * stays persisted for the next open).
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#tail;
    this.#queue.abandon(new SyncedStoreError("closed", "The store closed before the server confirmed"));
    // Let go of the state now, not when the store object goes: a closed store is often still
    // referenced (an unmounted tree, a test), and once the collector has moved it to the old
    // generation everything it points to stays alive, and is copied, until a full collection.
    this.#setBase(new OrderedMap());
    this.#setOverlay(new OrderedMap(), false);
    await this.#persistence.close();
  }

  async #load(): Promise<void> {
    let state = await this.#persistence.load();
    if (state === undefined) {
      await this.#persistence.write({ meta: this.#meta() });
      return;
    }
    // Written by an older version of the app: carried over in one persisted step, before use.
    const upgrade = upgradePersistedState(this.#definition, state);
    if (upgrade !== undefined) {
      await this.#persistence.write(upgrade.batch);
      state = upgrade.state;
      if (upgrade.refetch !== undefined) this.#logger.info(`Persisted base discarded: ${upgrade.refetch}`);
    }
    this.#clientId = state.meta.clientId;
    this.#historyId = state.meta.historyId;
    this.#baseVersion = state.meta.baseVersion;
    this.#setBase(OrderedMap.from(state.base));
    this.#queue.restore(state.meta.lastAcknowledgedId, state.pending);
    await this.#replay();
    for (const error of upgrade?.rejected ?? []) this.#rejections.emit(error);
  }

  async #applyServerUpdate(update: ServerUpdate): Promise<ApplyResult> {
    const reset = update.patches[0]?.op === "reset";
    if (!reset && update.minIncludedVersion > this.#baseVersion + 1) {
      return { status: "gap", baseVersion: this.#baseVersion };
    }
    const stale = !reset && update.maxIncludedVersion <= this.#baseVersion;
    // Before the acknowledgement below settles them (a stale update's too: it may acknowledge).
    for (const r of update.rejections ?? []) this.recordRejection(r.mutationId, r.code, r.message);
    const lastAck = this.#queue.lastAcknowledgedId;
    const acked = this.#queue.acknowledge(update.lastMutationId ?? lastAck);
    const ackMoved = this.#queue.lastAcknowledgedId !== lastAck;
    const listed =
      update.lastMutationIds !== undefined && this.#peers.acknowledge(update.lastMutationIds, this.#clientId);
    const reached = stale ? this.#baseVersion : update.maxIncludedVersion;
    const peersDropped = this.#peers.releaseDeferred(reached, this.#clientId) || listed;
    if (stale && !ackMoved && !peersDropped) return { status: "stale" };

    // Old visible values of every key that may change: patched keys and the old overlay.
    const before = new Map<string, unknown>();
    const oldBase = this.#base;
    if (reset) for (const key of oldBase.keys()) before.set(key, this.#view.get(key));
    for (const key of this.#overlay.keys()) before.set(key, this.#view.get(key));

    // Final base value per patched key (later ops win), persisted as one incremental batch.
    const written = new Map<string, unknown>();
    if (!stale) {
      if (reset) this.#setBase(new OrderedMap({ indexed: true }));
      for (const op of update.patches) {
        if (op.op === "reset") continue;
        // A client never holds server-only keys, whatever arrives.
        if (isServerOnlyKey(op.key)) continue;
        if (!before.has(op.key)) before.set(op.key, this.#view.get(op.key));
        if (op.op === "set") this.#base.set(op.key, op.value);
        else this.#base.delete(op.key);
        written.set(op.key, op.op === "set" ? op.value : DELETED);
      }
      this.#baseVersion = update.maxIncludedVersion;
    }

    // Which pending mutations run again: the rebase rule, in rebase.ts.
    await this.#replay(
      changedUnderPending({
        reset,
        peersChanged: peersDropped,
        patched: written.keys(),
        acknowledged: acked,
      }),
    );
    // Keys only the new overlay touches kept their base value, which the patch left alone.
    for (const key of this.#overlay.keys()) if (!before.has(key)) before.set(key, this.#base.get(key));
    const changes = collectChanges(before, (key) => this.#view.get(key));

    const persisted = this.#persistence.write(this.#batch(reset && !stale, written, acked));
    this.#emitChange({ changes, reset });
    if (acked.length > 0) {
      this.#pendingCountListeners.emit(this.#onListenerError, this.#queue.size);
      const rejected = this.#queue.settle(acked);
      for (const error of rejected) this.#rejections.emit(error);
      this.#tap?.settled(acked, rejected, this.#baseVersion);
    }
    await persisted;
    return stale ? { status: "stale" } : { status: "applied" };
  }

  #batch(
    resetBase: boolean,
    written: ReadonlyMap<string, unknown>,
    acked: readonly PendingMutation[],
  ): PersistBatch {
    const baseSet: Array<[string, unknown]> = [];
    const baseDel: string[] = [];
    for (const [key, value] of written) {
      if (value === DELETED) baseDel.push(key);
      else baseSet.push([key, value]);
    }
    return { resetBase, baseSet, baseDel, meta: this.#meta(), pendingDel: acked.map((m) => m.id) };
  }

  /**
   * Rebuilds the overlay by rebasing the pending mutations (and other tabs' ones) on the base.
   * `changed` comes from `changedUnderPending`; undefined (load, peer changes) runs every step.
   */
  async #replay(changed?: ReadonlySet<string>): Promise<void> {
    const overlay = await rebase({
      base: this.#base,
      steps: this.#peers.replayOrder(this.#clientId, this.#queue.mutations),
      mutators: this.#mutators,
      patterns: this.#patterns,
      ctx: this.#ctx(),
      logger: this.#logger,
      changed,
    });
    this.#setOverlay(overlay, false);
  }

  /**
   * Lays a mutation's writes over the overlay. When they cover it (an empty overlay, or a bulk
   * write of the same keys again), the overlay becomes the writes themselves: a 10,000-key
   * mutation is not copied key by key. The layer is then shared with the pending mutation, which
   * never changes it, so the overlay is copied before it is next written to.
   */
  #layOver(writes: Layer): void {
    if (covers(writes, this.#overlay)) {
      this.#setOverlay(writes, true);
      return;
    }
    if (this.#overlayShared) this.#setOverlay(this.#overlay.clone(), false);
    const overlay = this.#overlay;
    writes.forEach((value, key) => overlay.set(key, value));
  }

  #setOverlay(overlay: Layer, shared: boolean): void {
    this.#overlay = overlay;
    this.#overlayShared = shared;
    this.#view = new LayeredView(this.#base, [overlay]);
  }

  #setBase(base: OrderedMap<unknown>): void {
    this.#base = base;
    this.#view = new LayeredView(base, [this.#overlay]);
  }

  #meta(): PersistedMeta {
    return {
      clientId: this.#clientId,
      historyId: this.#historyId,
      baseVersion: this.#baseVersion,
      lastAcknowledgedId: this.#queue.lastAcknowledgedId,
      definitionVersion: this.#definition.version,
    };
  }

  #ctx(): TransactionContext {
    return { userId: this.userId, clientId: this.#clientId, location: "client" };
  }

  #emitChange(change: StoreChange): void {
    if (change.changes.size > 0 || change.reset) this.#changeListeners.emit(this.#onListenerError, change);
  }

  readonly #onListenerError = (error: unknown): void => {
    this.#logger.error("A store listener threw", error);
  };

  #serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(() => {
      if (this.#loadError !== undefined) throw toSyncedStoreError(this.#loadError);
      return fn();
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }
}

/** Whether every key of `layer` is in `writes` (so `writes` over `layer` is `writes` alone). */
function covers(writes: Layer, layer: Layer): boolean {
  if (layer.size > writes.size) return false;
  // Both in key order: one walk in step, no lookup per key.
  const cursor = writes.cursor("");
  let all = true;
  layer.forEachFrom("", "", (key) => {
    let k = cursor.peek();
    for (; k !== undefined && k < key; k = cursor.peek()) cursor.advance();
    return (all = k === key);
  });
  return all;
}
