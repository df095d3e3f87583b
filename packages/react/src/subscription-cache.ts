import type { AnyStoreDefinition, Query, Store } from "@synced-store/core";
import { replaceEqualDeep } from "./replace-equal-deep.js";

/** What a shared query holds: nothing yet, its latest result, or the error it threw. */
export type QuerySnapshot<T> =
  | { readonly status: "pending" }
  | { readonly status: "success"; readonly data: T }
  | { readonly status: "error"; readonly error: unknown };

/** Timer functions, injectable so tests control time. */
export interface CacheTimers {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

/** Options of {@link SubscriptionCache}. */
export interface SubscriptionCacheOptions {
  /**
   * How long a query nobody listens to keeps its store subscription, so a remount (StrictMode,
   * Suspense retry, route change) finds its result at once. @default 5000
   */
  gcTimeMs?: number;
  /** @default the global timers */
  timers?: CacheTimers;
}

const PENDING: QuerySnapshot<never> = { status: "pending" };

/**
 * One store subscription shared by every component that asks for the same query and deps.
 * Listeners are counted; when the last one leaves, the subscription ends after the cache's
 * `gcTimeMs`.
 */
export class SharedQuery<T = unknown> {
  snapshot: QuerySnapshot<T> = PENDING;
  /** Settles with the first result or error; what Suspense waits for. */
  readonly firstResult: Promise<void>;
  private settleFirst!: () => void;
  private readonly listeners = new Set<() => void>();
  private stopStore: (() => void) | null = null;
  private gcHandle: unknown = null;

  constructor(
    private readonly cache: SubscriptionCache,
    readonly source: string,
    readonly deps: readonly unknown[],
    private readonly query: Query<AnyStoreDefinition, T>,
  ) {
    this.firstResult = new Promise((resolve) => (this.settleFirst = resolve));
  }

  /** Whether the store subscription is live. */
  get active(): boolean {
    return this.stopStore !== null;
  }

  /** Number of listeners now. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Adds a listener (reopening the subscription if it was collected meanwhile). */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    this.cancelGc();
    this.open();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.scheduleGc();
    };
  };

  getSnapshot = (): QuerySnapshot<T> => this.snapshot;

  /** Starts the store subscription if it is not running; idempotent. */
  open(): void {
    if (this.stopStore) return;
    this.cache.register(this);
    this.stopStore = this.cache.store.subscribe(this.query, {
      onData: (data) => this.set({ status: "success", data: replaceEqualDeep(this.currentData(), data) }),
      onError: (error) => this.set({ status: "error", error }),
    });
    if (this.listeners.size === 0) this.scheduleGc();
  }

  /** Ends the store subscription and leaves the cache. */
  close(): void {
    this.cancelGc();
    this.stopStore?.();
    this.stopStore = null;
    this.cache.unregister(this);
  }

  private currentData(): unknown {
    return this.snapshot.status === "success" ? this.snapshot.data : undefined;
  }

  private set(next: QuerySnapshot<T>): void {
    const prev = this.snapshot;
    if (prev.status === "success" && next.status === "success" && prev.data === next.data) return;
    this.snapshot = next;
    this.settleFirst();
    for (const listener of [...this.listeners]) listener();
  }

  private scheduleGc(): void {
    this.cancelGc();
    const { timers, gcTimeMs } = this.cache;
    this.gcHandle = timers.setTimeout(() => {
      this.gcHandle = null;
      if (this.listeners.size === 0) this.close();
    }, gcTimeMs);
  }

  private cancelGc(): void {
    if (this.gcHandle === null) return;
    this.cache.timers.clearTimeout(this.gcHandle);
    this.gcHandle = null;
  }
}

/**
 * The shared queries of one store, keyed by the query's source text (or an explicit key) and its
 * deps compared element by element with `Object.is`, as React compares hook deps.
 */
export class SubscriptionCache {
  readonly gcTimeMs: number;
  readonly timers: CacheTimers;
  private readonly bySource = new Map<string, Array<SharedQuery<unknown>>>();

  constructor(
    readonly store: Store<AnyStoreDefinition>,
    options: SubscriptionCacheOptions = {},
  ) {
    this.gcTimeMs = options.gcTimeMs ?? 5000;
    this.timers = options.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
  }

  /** The live shared query for (`key`, `deps`), opening one that runs `query` if there is none. */
  acquire<T>(query: Query<AnyStoreDefinition, T>, deps: readonly unknown[], key?: string): SharedQuery<T> {
    const source = key ?? query.toString();
    const found = this.bySource.get(source)?.find((q) => sameDeps(q.deps, deps));
    if (found) return found as SharedQuery<T>;
    const shared = new SharedQuery<T>(this, source, [...deps], query);
    shared.open();
    return shared;
  }

  /** Number of live shared queries. */
  get size(): number {
    let n = 0;
    for (const list of this.bySource.values()) n += list.length;
    return n;
  }

  /** @internal */
  register(shared: SharedQuery<unknown>): void {
    const list = this.bySource.get(shared.source) ?? [];
    if (!list.includes(shared)) list.push(shared);
    this.bySource.set(shared.source, list);
  }

  /** @internal */
  unregister(shared: SharedQuery<unknown>): void {
    const list = this.bySource.get(shared.source);
    if (!list) return;
    const rest = list.filter((q) => q !== shared);
    if (rest.length > 0) this.bySource.set(shared.source, rest);
    else this.bySource.delete(shared.source);
  }
}

function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}

const caches = new WeakMap<Store<AnyStoreDefinition>, SubscriptionCache>();

/** The subscription cache of `store`, made on first use (with `options`; later ones are ignored). */
export function subscriptionCacheFor<D extends AnyStoreDefinition>(
  store: Store<D>,
  options?: SubscriptionCacheOptions,
): SubscriptionCache {
  const untyped = store as unknown as Store<AnyStoreDefinition>;
  let cache = caches.get(untyped);
  if (!cache) {
    cache = new SubscriptionCache(untyped, options);
    caches.set(untyped, cache);
  }
  return cache;
}
