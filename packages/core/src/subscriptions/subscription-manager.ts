import type { ReadTransaction } from "../store/transaction.js";
import type { StoreReadTransaction } from "../store/read-transaction.js";
import type { StoreChange } from "../store/store-change.js";
import { deepEqual } from "../util/deep-equal.js";
import { ReadSet } from "../store/read-set.js";

/** The part of the local store subscriptions use. */
export interface SubscriptionSource {
  readonly ready: Promise<void>;
  readTransaction(recorder?: ReadSet): StoreReadTransaction;
  onChange(listener: (change: StoreChange) => void): () => void;
}

/** What `SubscriptionManager.inspect` tells of one live query, for tools. */
export interface SubscriptionDetail {
  /** Order of subscribing (1, 2, 3… per store). */
  readonly id: number;
  /** The query's function name, else the start of its source. */
  readonly label: string;
  /** Keys and scanned ranges its last run read. */
  readonly keys: readonly string[];
  readonly ranges: ReadonlyArray<{ readonly prefix: string; readonly from: string; readonly to?: string }>;
  /** Completed runs (a run the store moved under, then repeated, counts once per run). */
  readonly runs: number;
  /** Calls of `onData` (runs whose result changed). */
  readonly fires: number;
  /** Runs that threw. */
  readonly errors: number;
}

/** One live query. */
interface Subscription {
  readonly id: number;
  runs: number;
  fires: number;
  errors: number;
  readonly query: (tx: ReadTransaction) => Promise<unknown>;
  readonly onData: (result: unknown) => void;
  readonly onError: (error: unknown) => void;
  reads: ReadSet;
  hasResult: boolean;
  result: unknown;
  running: boolean;
  again: boolean;
  closed: boolean;
}

/** A query re-runs at most this many times in a row when the store keeps changing under it. */
const MAX_RERUNS = 1000;

/**
 * Live queries. Each run records the keys and ranges the query read; a change re-runs only the
 * queries whose reads it touches, and `onData` fires only when the result is not deep-equal to
 * the previous one (which otherwise keeps its identity).
 */
export class SubscriptionManager {
  readonly #source: SubscriptionSource;
  readonly #onError: (error: unknown) => void;
  /** Key → subscriptions that read it. */
  readonly #byKey = new Map<string, Set<Subscription>>();
  /** Subscriptions that scanned at least one range. */
  readonly #withRanges = new Set<Subscription>();
  readonly #all = new Set<Subscription>();
  /** Bumped on every change, so a run can tell the store moved under it. */
  #seq = 0;
  #ids = 0;
  readonly #unlisten: () => void;
  readonly #onRun: (() => void) | undefined;

  /** `onRun` is called after every completed run (the store's inspector counts them). */
  constructor(source: SubscriptionSource, onError: (error: unknown) => void, onRun?: () => void) {
    this.#source = source;
    this.#onError = onError;
    this.#onRun = onRun;
    this.#unlisten = source.onChange((change) => this.#onChange(change));
  }

  /** Number of live subscriptions. */
  get size(): number {
    return this.#all.size;
  }

  /** Starts a live query; returns its unsubscribe. */
  subscribe<T>(
    query: (tx: ReadTransaction) => Promise<T>,
    onData: (result: T) => void,
    onError?: (error: unknown) => void,
  ): () => void {
    const sub: Subscription = {
      id: ++this.#ids,
      runs: 0,
      fires: 0,
      errors: 0,
      query,
      onData: onData as (result: unknown) => void,
      onError: onError ?? this.#onError,
      reads: new ReadSet(),
      hasResult: false,
      result: undefined,
      running: false,
      again: false,
      closed: false,
    };
    this.#all.add(sub);
    void this.#source.ready.then(
      () => this.#run(sub),
      (error: unknown) => sub.onError(error),
    );
    return () => {
      sub.closed = true;
      this.#unindex(sub);
      this.#all.delete(sub);
    };
  }

  /** The live queries, in subscription order, with what they read and how often they ran. */
  inspect(): SubscriptionDetail[] {
    return [...this.#all].map((sub) => ({
      id: sub.id,
      label: sub.query.name || String(sub.query).replace(/\s+/g, " ").slice(0, 200),
      keys: [...sub.reads.keys],
      ranges: sub.reads.ranges.map((r) => ({
        prefix: r.prefix,
        from: r.from,
        ...(r.to === undefined ? {} : { to: r.to }),
      })),
      runs: sub.runs,
      fires: sub.fires,
      errors: sub.errors,
    }));
  }

  /** Stops every subscription. */
  close(): void {
    this.#unlisten();
    for (const sub of this.#all) sub.closed = true;
    this.#all.clear();
    this.#byKey.clear();
    this.#withRanges.clear();
  }

  #onChange(change: StoreChange): void {
    this.#seq++;
    // Nothing to look up (a bulk write with no live query costs no pass over its keys).
    if (this.#all.size === 0) return;
    const affected = new Set<Subscription>();
    if (change.reset) {
      for (const sub of this.#all) affected.add(sub);
    } else {
      for (const key of change.changes.keys()) {
        const subs = this.#byKey.get(key);
        if (subs) for (const sub of subs) affected.add(sub);
        for (const sub of this.#withRanges)
          if (!affected.has(sub) && sub.reads.rangesCover(key)) affected.add(sub);
      }
    }
    for (const sub of affected) void this.#run(sub);
  }

  async #run(sub: Subscription): Promise<void> {
    if (sub.closed) return;
    if (sub.running) {
      sub.again = true;
      return;
    }
    sub.running = true;
    try {
      for (let attempt = 0; ; attempt++) {
        sub.again = false;
        const seq = this.#seq;
        const reads = new ReadSet();
        let result: unknown;
        let failed = false;
        try {
          result = await sub.query(this.#source.readTransaction(reads));
        } catch (error) {
          failed = true;
          result = error;
        }
        if (sub.closed) return;
        this.#unindex(sub);
        sub.reads = reads;
        this.#index(sub);
        // The store changed while the query ran: its reads may mix two states, so run again.
        sub.runs++;
        if ((sub.again || seq !== this.#seq) && attempt < MAX_RERUNS) continue;
        this.#onRun?.();
        if (failed) {
          sub.errors++;
          sub.onError(result);
        } else if (!sub.hasResult || !deepEqual(sub.result, result)) {
          sub.hasResult = true;
          sub.result = result;
          sub.fires++;
          sub.onData(result);
        }
        return;
      }
    } catch (error) {
      // onData or onError threw: report it, keep the subscription alive.
      this.#onError(error);
    } finally {
      sub.running = false;
    }
  }

  #index(sub: Subscription): void {
    for (const key of sub.reads.keys) {
      let set = this.#byKey.get(key);
      if (set === undefined) this.#byKey.set(key, (set = new Set()));
      set.add(sub);
    }
    if (sub.reads.ranges.length > 0) this.#withRanges.add(sub);
  }

  #unindex(sub: Subscription): void {
    for (const key of sub.reads.keys) {
      const set = this.#byKey.get(key);
      if (set === undefined) continue;
      set.delete(sub);
      if (set.size === 0) this.#byKey.delete(key);
    }
    this.#withRanges.delete(sub);
  }
}
