import {
  MutationRejectedError,
  SyncedStoreError,
  ValidationError,
  toSyncedStoreError,
  type SyncedStoreErrorCode,
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
import { DELETED, LayeredView, type Layer } from "./layered-view.js";
import { findCoalesceTarget, type CoalesceCandidate } from "./find-coalesce-target.js";
import { toPersisted, type PendingMutation } from "./pending-mutation.js";
import { PeerMutations } from "./peer-mutations.js";
import type { PeerTarget } from "./peer-target.js";
import { StoreReadTransaction, type ReadRecorder, type TransactionContext } from "./read-transaction.js";
import { collectChanges, type StoreChange } from "./store-change.js";
import { runMutator, type RunnableMutator } from "./run-mutator.js";
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
}

/** What `mutate` returns once the effect is visible and persisted. */
export interface LocalMutation {
  readonly id: number;
  readonly confirmed: Promise<void>;
}

const REJECTION_CODES = new Set<string>([
  "invalid_args",
  "invalid_value",
  "unknown_key",
  "unknown_mutator",
  "mutator_failed",
  "permission_denied",
]);

/**
 * The client's state: `base` (server state at `baseVersion`), pending mutations, and the overlay
 * (the pending mutations' combined effect over base). Reads see base + overlay. Mutations and
 * server updates run one at a time; each emits the keys it changed, never the whole store.
 */
export class LocalStore implements SyncTarget, PeerTarget {
  readonly ready: Promise<void>;
  readonly userId: string;
  #clientId: string;
  readonly #patterns: readonly CompiledPattern[];
  readonly #mutators: Readonly<Record<string, RunnableMutator | undefined>>;
  readonly #persistence: Persistence;
  readonly #logger: Logger;
  readonly #now: () => number;

  #base = new OrderedMap<unknown>();
  #overlay: Layer = new OrderedMap();
  #view = new LayeredView(this.#base, [this.#overlay]);
  #pending: PendingMutation[] = [];
  #baseVersion = 0;
  #historyId: string | null = null;
  #lastAck = 0;
  #rejections = new Map<number, { code: string; message: string }>();
  /** Other tabs' pending mutations, shown over base with ours (see `PeerTarget`). */
  readonly #peers: PeerMutations;
  /** Highest id handed to the sync layer: the server may hold it, so it is never coalesced into. */
  #handedOut = 0;
  readonly #localMutationListeners = new Listeners<[WireMutation]>();
  #tail: Promise<unknown>;
  #closed = false;
  /** Set when loading persisted state failed: nothing may then run over an empty state. */
  #loadError: unknown;

  readonly #changeListeners = new Listeners<[StoreChange]>();
  readonly #rejectionListeners = new Listeners<[MutationRejectedError]>();
  readonly #pendingAddedListeners = new Listeners<[]>();
  readonly #pendingCountListeners = new Listeners<[number]>();

  constructor(options: LocalStoreOptions) {
    this.#patterns = options.definition.patterns;
    this.#mutators = options.definition.mutatorDefs as Record<string, RunnableMutator>;
    this.#peers = new PeerMutations(this.#mutators);
    this.userId = options.userId;
    this.#clientId = options.clientId;
    this.#persistence = options.persistence;
    this.#logger = options.logger ?? silentLogger;
    this.#now = options.now ?? Date.now;
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
    return this.#lastAck;
  }

  pendingCount(): number {
    return this.#pending.length;
  }

  pendingMutations(afterId: number): WireMutation[] {
    const out = this.localPendingMutations(afterId);
    const last = out[out.length - 1];
    if (last !== undefined && last.id > this.#handedOut) this.#handedOut = last.id;
    return out;
  }

  /** Like `pendingMutations`, for other readers than the sync layer (no effect on coalescing). */
  localPendingMutations(afterId = 0): WireMutation[] {
    return this.#pending.filter((m) => m.id > afterId).map(toWire);
  }

  onLocalMutation(listener: (mutation: WireMutation) => void): () => void {
    return this.#localMutationListeners.add(listener);
  }

  /** Number of other tabs' mutations shown. */
  peerCount(): number {
    return this.#peers.size;
  }

  applyPeerMutations(clientId: string, mutations: readonly WireMutation[], replace: boolean): Promise<void> {
    return this.#serially(async () => {
      if (this.#closed || clientId === this.#clientId) return;
      const before = new Map<string, unknown>();
      for (const key of this.#overlay.keys()) before.set(key, this.#view.get(key));
      if (!this.#peers.apply(clientId, mutations, replace)) return;
      await this.#replay();
      for (const key of this.#overlay.keys()) if (!before.has(key)) before.set(key, this.#base.get(key));
      this.#emitChange({ changes: collectChanges(before, (key) => this.#view.get(key)), reset: false });
    });
  }

  /** A read transaction over the current view (base + pending), recording reads if asked. */
  readTransaction(recorder?: ReadRecorder): StoreReadTransaction {
    return new StoreReadTransaction(this.#ctx(), this.#view, recorder);
  }

  /** The base alone (server state at `baseVersion`), for tests and tools. */
  baseEntries(): IterableIterator<[string, unknown]> {
    return this.#base.entries();
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
      const tx = await runMutator(def, name, parsed.data, this.#view, this.#ctx(), this.#patterns);
      const into = this.#coalesceTarget(name, def, parsed.data);
      const replaced = into === undefined ? undefined : this.#pending[into];
      const m: PendingMutation = {
        id: replaced?.id ?? this.#nextId(),
        name,
        args,
        parsed: { ok: true, value: parsed.data },
        // A coalesced call keeps its place in time, so tabs keep ordering it alike.
        timestamp: replaced?.timestamp ?? this.#now(),
        writes: replaced ? mergeLayers(replaced.writes, tx.writes) : tx.writes,
        confirmed: replaced?.confirmed ?? deferred<void>(),
      };
      if (into === undefined) this.#pending.push(m);
      else this.#pending[into] = m;
      const changes = new Map<string, { oldValue: unknown; newValue: unknown }>();
      for (const [key, value] of tx.writes.entries()) {
        const oldValue = this.#view.get(key);
        this.#overlay.set(key, value);
        const newValue = value === DELETED ? undefined : value;
        if (oldValue !== newValue) changes.set(key, { oldValue, newValue });
      }
      const persisted = this.#persistence.write({ pendingPut: [toPersisted(m)] });
      this.#emitChange({ changes, reset: false });
      this.#localMutationListeners.emit(this.#onListenerError, toWire(m));
      if (replaced === undefined)
        this.#pendingCountListeners.emit(this.#onListenerError, this.#pending.length);
      this.#pendingAddedListeners.emit(this.#onListenerError);
      await persisted;
      return { id: m.id, confirmed: m.confirmed.promise };
    });
  }

  applyServerUpdate(update: ServerUpdate): Promise<ApplyResult> {
    return this.#serially(() => this.#applyServerUpdate(update));
  }

  recordRejection(mutationId: number, code: string, message: string): void {
    if (mutationId > this.#lastAck) this.#rejections.set(mutationId, { code, message });
  }

  adoptHistory(historyId: string, serverLastMutationId: number): Promise<void> {
    return this.#serially(async () => {
      const oldIds = this.#pending.map((m) => m.id);
      this.#pending.forEach((m, i) => (m.id = serverLastMutationId + 1 + i));
      this.#historyId = historyId;
      this.#lastAck = serverLastMutationId;
      // The base belongs to another history: its version means nothing there.
      this.#baseVersion = 0;
      this.#rejections.clear();
      await this.#persistence.write({
        meta: this.#meta(),
        pendingDel: oldIds,
        pendingPut: this.#pending.map(toPersisted),
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
    return this.#rejectionListeners.add(listener);
  }

  /** Calls `listener` with the new count whenever the number of pending mutations changes. */
  onPendingCountChange(listener: (count: number) => void): () => void {
    return this.#pendingCountListeners.add(listener);
  }

  /** Waits for running work, then releases persistence. Later mutations reject. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#tail;
    await this.#persistence.close();
  }

  async #load(): Promise<void> {
    const state = await this.#persistence.load();
    if (state === undefined) {
      await this.#persistence.write({ meta: this.#meta() });
      return;
    }
    this.#clientId = state.meta.clientId;
    this.#historyId = state.meta.historyId;
    this.#baseVersion = state.meta.baseVersion;
    this.#lastAck = state.meta.lastAcknowledgedId;
    this.#setBase(OrderedMap.from(state.base));
    for (const p of state.pending) {
      const def = this.#mutators[p.name];
      const parsed = def?.args.safeParse(p.args);
      this.#pending.push({
        ...p,
        parsed: parsed?.success ? { ok: true, value: parsed.data } : { ok: false },
        writes: new OrderedMap(),
        confirmed: deferred<void>(),
      });
    }
    await this.#replay();
  }

  async #applyServerUpdate(update: ServerUpdate): Promise<ApplyResult> {
    const reset = update.patches[0]?.op === "reset";
    if (!reset && update.minIncludedVersion > this.#baseVersion + 1) {
      return { status: "gap", baseVersion: this.#baseVersion };
    }
    const stale = !reset && update.maxIncludedVersion <= this.#baseVersion;
    const lmid = update.lastMutationId ?? this.#lastAck;
    const acked = lmid > this.#lastAck ? this.#pending.filter((m) => m.id <= lmid) : [];
    const peersDropped =
      update.lastMutationIds !== undefined && this.#peers.acknowledge(update.lastMutationIds, this.#clientId);
    if (stale && acked.length === 0 && !peersDropped) return { status: "stale" };

    // Old visible values of every key that may change: patched keys and the old overlay.
    const before = new Map<string, unknown>();
    const oldBase = this.#base;
    if (reset) for (const key of oldBase.keys()) before.set(key, this.#view.get(key));
    for (const key of this.#overlay.keys()) before.set(key, this.#view.get(key));

    // Final base value per patched key (later ops win), persisted as one incremental batch.
    const written = new Map<string, unknown>();
    if (!stale) {
      if (reset) this.#setBase(new OrderedMap());
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
    if (lmid > this.#lastAck) this.#lastAck = lmid;
    if (acked.length > 0) this.#pending.splice(0, acked.length);

    await this.#replay();
    // Keys only the new overlay touches kept their base value, which the patch left alone.
    for (const key of this.#overlay.keys()) if (!before.has(key)) before.set(key, this.#base.get(key));
    const changes = collectChanges(before, (key) => this.#view.get(key));

    const persisted = this.#persistence.write(this.#batch(reset && !stale, written, acked));
    this.#emitChange({ changes, reset });
    if (acked.length > 0) {
      this.#pendingCountListeners.emit(this.#onListenerError, this.#pending.length);
      this.#settle(acked);
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

  /** Resolves or rejects the `confirmed` of acknowledged mutations. */
  #settle(acked: readonly PendingMutation[]): void {
    for (const m of acked) {
      const rejection = this.#rejections.get(m.id);
      if (rejection === undefined) {
        m.confirmed.resolve();
        continue;
      }
      this.#rejections.delete(m.id);
      const code = (
        REJECTION_CODES.has(rejection.code) ? rejection.code : "mutator_failed"
      ) as SyncedStoreErrorCode;
      const error = new MutationRejectedError(code, rejection.message, m.id, m.name);
      m.confirmed.reject(error);
      this.#rejectionListeners.emit(this.#onListenerError, error);
    }
  }

  /** Rebuilds the overlay by replaying every pending mutation over the base, in id order. */
  async #replay(): Promise<void> {
    const overlay: Layer = new OrderedMap();
    const view = new LayeredView(this.#base, [overlay]);
    const ctx = this.#ctx();
    for (const m of this.#peers.replayOrder(this.#clientId, this.#pending)) {
      const own = "confirmed" in m ? m : undefined;
      if (own) own.writes = new OrderedMap();
      if (!m.parsed.ok) continue;
      try {
        const def = this.#mutators[m.name];
        const runCtx = "clientId" in m ? { ...ctx, clientId: m.clientId } : ctx;
        const tx = await runMutator(def, m.name, m.parsed.value, view, runCtx, this.#patterns);
        if (own) own.writes = tx.writes;
        for (const [key, value] of tx.writes.entries()) overlay.set(key, value);
      } catch (error) {
        // Kept pending with no local effect: the server decides its fate.
        this.#logger.warn(`Replay of mutation ${m.id} (${m.name}) threw; its local effect is empty`, error);
      }
    }
    this.#overlay = overlay;
    this.#view = view;
  }

  #setBase(base: OrderedMap<unknown>): void {
    this.#base = base;
    this.#view = new LayeredView(base, [this.#overlay]);
  }

  /** Index of the unsent pending call this one may replace (see `findCoalesceTarget`). */
  #coalesceTarget(name: string, def: RunnableMutator, args: unknown): number | undefined {
    const key = def.coalesce?.(args);
    if (key === undefined) return undefined;
    const pending = this.#pending;
    const mutators = this.#mutators;
    function* newestFirst(): Generator<CoalesceCandidate> {
      for (let i = pending.length - 1; i >= 0; i--) {
        const m = pending[i]!;
        const coalesce = m.parsed.ok ? mutators[m.name]?.coalesce : undefined;
        yield { id: m.id, name: m.name, coalesceKey: m.parsed.ok ? coalesce?.(m.parsed.value) : undefined };
      }
    }
    const id = findCoalesceTarget(newestFirst(), Math.max(this.#handedOut, this.#lastAck), name, key);
    return id === undefined ? undefined : pending.findLastIndex((m) => m.id === id);
  }

  #nextId(): number {
    const last = this.#pending[this.#pending.length - 1];
    return Math.max(this.#lastAck, last?.id ?? 0) + 1;
  }

  #meta(): PersistedMeta {
    return {
      clientId: this.#clientId,
      historyId: this.#historyId,
      baseVersion: this.#baseVersion,
      lastAcknowledgedId: this.#lastAck,
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

function toWire(m: PendingMutation): WireMutation {
  return { id: m.id, name: m.name, args: m.args, timestamp: m.timestamp };
}

/** `below` overwritten by `above`: the effect of two runs on one target. */
function mergeLayers(below: Layer, above: Layer): Layer {
  const merged: Layer = new OrderedMap();
  for (const [key, value] of below.entries()) merged.set(key, value);
  for (const [key, value] of above.entries()) merged.set(key, value);
  return merged;
}
