import type { MutationRejectedError } from "../errors.js";
import type { OrderedMap } from "../kv/ordered-map.js";
import type { ClientMessage, ServerMessage } from "../protocol/messages.js";
import { DELETED, type Layer } from "../store/layered-view.js";
import type { PendingDetail } from "../store/local-store.js";
import type { PendingMutation } from "../store/pending-mutation.js";
import type { StoreChange } from "../store/store-change.js";
import type { StoreTap } from "../store/store-tap.js";
import type { SubscriptionDetail } from "../subscriptions/subscription-manager.js";
import type { SyncStatus } from "../sync/status.js";
import type { ConnectionEvent, SyncTap } from "../sync/sync-tap.js";
import { systemTimers, type SyncTimers, type TimerHandle } from "../sync/timers.js";
import { Listeners } from "../util/listeners.js";
import { BoundedLog } from "./bounded-log.js";
import { frameSummary, utf8Length } from "./frame-summary.js";
import type { DataEntry, Inspection, NetworkEntry, SettledMutation, StoreInspector } from "./inspection.js";
import { mergeSortedKeys } from "./merge-sorted-keys.js";

/** What the inspector reads from the store it inspects. */
export interface InspectorSource {
  readonly spaceId: string;
  readonly userId: string;
  readonly clientId: string;
  historyId(): string | null;
  baseVersion(): number;
  lastAcknowledgedId(): number;
  status(): SyncStatus;
  layers(): { readonly base: OrderedMap<unknown>; readonly overlay: Layer };
  inspectPending(): PendingDetail[];
  subscriptions(): SubscriptionDetail[];
  onChange(listener: (change: StoreChange) => void): () => void;
  onStatusChange(listener: () => void): () => void;
}

/** Bounds and clocks of the inspector. */
export interface InspectorOptions {
  /** Acknowledgements and rejections kept, each. @default 100 */
  readonly maxSettled?: number;
  /** Network log entries kept. @default 500 */
  readonly maxNetworkEntries?: number;
  /** Bytes of frame text the network log keeps in all. @default 1 MiB */
  readonly maxNetworkBytes?: number;
  /** Characters of one frame's text kept. @default 4096 */
  readonly maxFrameChars?: number;
  /** Least time between two notifications of subscribers, in ms. @default 100 */
  readonly throttleMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default systemTimers */
  readonly timers?: SyncTimers;
}

/**
 * The recorder behind `store.inspect()`. The store, its subscriptions and its sync client call
 * its taps all along; until recording starts (the first `inspect()`, or `createStore`'s `inspect`
 * option) each tap returns at once, so an uninspected store pays one property check per event.
 */
export class Inspector implements StoreTap, SyncTap, StoreInspector {
  #source: InspectorSource | undefined;
  #recording = false;
  #since = 0;
  #seq = 0;
  readonly #acked: BoundedLog<SettledMutation>;
  readonly #rejected: BoundedLog<SettledMutation>;
  readonly #network: BoundedLog<NetworkEntry>;
  readonly #listeners = new Listeners<[]>();
  readonly #now: () => number;
  readonly #timers: SyncTimers;
  readonly #throttleMs: number;
  readonly #maxFrameChars: number;
  #timer: TimerHandle | undefined;
  #snapshot: Inspection | undefined;
  #changes = 0;
  #keys: { readonly stamp: string; readonly keys: readonly string[] } | undefined;
  #unlisten: Array<() => void> = [];

  constructor(
    private readonly options: InspectorOptions = {},
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.#acked = new BoundedLog(options.maxSettled ?? 100, Infinity);
    this.#rejected = new BoundedLog(options.maxSettled ?? 100, Infinity);
    this.#network = new BoundedLog(options.maxNetworkEntries ?? 500, options.maxNetworkBytes ?? 1 << 20);
    this.#now = options.now ?? Date.now;
    this.#timers = options.timers ?? systemTimers;
    this.#throttleMs = options.throttleMs ?? 100;
    this.#maxFrameChars = options.maxFrameChars ?? 4096;
  }

  /** Connects the inspector to its store (once the store exists). */
  attach(source: InspectorSource): this {
    this.#source = source;
    if (this.#recording) this.#listen();
    return this;
  }

  /** Starts recording (idempotent). */
  start(): this {
    if (this.#recording) return this;
    this.#recording = true;
    this.#since = this.#now();
    if (this.#source) this.#listen();
    return this;
  }

  /** Stops recording and notifying (the store closed). */
  stop(): void {
    this.#recording = false;
    for (const off of this.#unlisten) off();
    this.#unlisten = [];
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  // ---- taps ----

  settled(
    acknowledged: readonly PendingMutation[],
    rejected: readonly MutationRejectedError[],
    version: number,
  ) {
    if (!this.#recording) return;
    const at = this.#now();
    const reasons = new Map(rejected.map((e) => [e.mutationId, e]));
    for (const m of acknowledged) {
      const error = reasons.get(m.id);
      reasons.delete(m.id);
      if (error === undefined) {
        this.#acked.add({ id: m.id, name: m.name, args: m.args, outcome: "acknowledged", at, version });
      } else this.#rejected.add(rejection(error, m.args, at, version));
    }
    // Rejections that arrived after their acknowledgement: their args are gone.
    for (const error of reasons.values()) this.#rejected.add(rejection(error, undefined, at, version));
    this.#changed();
  }

  frame(direction: "in" | "out", frame: string, message: ClientMessage | ServerMessage): void {
    if (!this.#recording) return;
    const truncated = frame.length > this.#maxFrameChars;
    const text = truncated ? frame.slice(0, this.#maxFrameChars) : frame;
    const entry: NetworkEntry = {
      kind: "frame",
      seq: ++this.#seq,
      at: this.#now(),
      direction,
      type: message.type,
      bytes: utf8Length(frame),
      summary: frameSummary(message, this.#source?.clientId ?? ""),
      text,
      truncated,
    };
    this.#network.add(entry, text.length * 2);
    this.#changed();
  }

  connection(event: ConnectionEvent): void {
    if (!this.#recording) return;
    this.#network.add({ kind: "connection", seq: ++this.#seq, at: this.#now(), ...event });
    this.#changed();
  }

  /** A subscription completed a run. */
  readonly subscriptionRan = (): void => {
    if (this.#recording) this.#changed();
  };

  // ---- StoreInspector ----

  snapshot(): Inspection {
    if (this.#snapshot) return this.#snapshot;
    const s = this.#requireSource();
    const at = this.#now();
    const { base, overlay } = s.layers();
    return (this.#snapshot = {
      spaceId: s.spaceId,
      userId: s.userId,
      clientId: s.clientId,
      historyId: s.historyId(),
      baseVersion: s.baseVersion(),
      lastAcknowledgedId: s.lastAcknowledgedId(),
      status: s.status(),
      baseKeyCount: base.size,
      pendingKeyCount: overlay.size,
      pending: s
        .inspectPending()
        .map((m) => ({ ...m, ownTab: m.clientId === s.clientId, ageMs: at - m.timestamp })),
      acknowledged: this.#acked.entries(),
      rejections: this.#rejected.entries(),
      subscriptions: s.subscriptions(),
      network: this.#network.entries(),
      recordingSince: this.#since,
      at,
    });
  }

  subscribe(listener: () => void): () => void {
    this.start();
    return this.#listeners.add(listener);
  }

  keys(search = ""): readonly string[] {
    const { base, overlay } = this.#requireSource().layers();
    const stamp = `${this.#changes}/${base.size}/${overlay.size}/${search}`;
    if (this.#keys?.stamp === stamp) return this.#keys.keys;
    let keys = mergeSortedKeys(base, overlay);
    const needle = search.toLowerCase();
    if (needle !== "") keys = keys.filter((k) => k.toLowerCase().includes(needle));
    this.#keys = { stamp, keys };
    return keys;
  }

  entry(key: string): DataEntry | undefined {
    const { base, overlay } = this.#requireSource().layers();
    const inBase = base.has(key);
    const over = overlay.get(key);
    if (!inBase && over === undefined) return undefined;
    const pending = over === undefined ? "none" : over === DELETED ? "deleted" : "set";
    const value = over === undefined ? base.get(key) : over === DELETED ? undefined : over;
    return { key, inBase, base: base.get(key), pending, value };
  }

  clearNetwork(): void {
    this.#network.clear();
    this.#changed();
  }

  // ---- internals ----

  #listen(): void {
    const s = this.#source!;
    this.#unlisten.push(
      s.onChange(() => {
        this.#changes++;
        this.#changed();
      }),
      s.onStatusChange(() => this.#changed()),
    );
  }

  #requireSource(): InspectorSource {
    if (this.#source === undefined) throw new Error("The inspector is not attached to a store");
    return this.#source;
  }

  /** Something changed: drop the snapshot, notify subscribers after the throttle interval. */
  #changed(): void {
    this.#snapshot = undefined;
    if (this.#timer !== undefined || this.#listeners.size === 0) return;
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = undefined;
      this.#listeners.emit(this.onError);
    }, this.#throttleMs);
  }
}

function rejection(
  error: MutationRejectedError,
  args: unknown,
  at: number,
  version: number,
): SettledMutation {
  return {
    id: error.mutationId,
    name: error.mutatorName,
    args,
    outcome: "rejected",
    code: error.code,
    message: error.message,
    at,
    version,
  };
}
