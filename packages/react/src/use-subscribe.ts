import type { AnyStoreDefinition, Query, Store } from "@synced-store/core";
import { use, useSyncExternalStore, type DependencyList } from "react";
import type { RegisteredDefinition } from "./register.js";
import { useStore } from "./store-provider.js";
import { subscriptionCacheFor } from "./subscription-cache.js";

/** Options of {@link useSubscribe}. */
export interface UseSubscribeOptions<D extends AnyStoreDefinition, TDefault> {
  /** Returned until the first result arrives (without `suspense`). @default undefined */
  default?: TDefault;
  /** Suspend (throw to the nearest `<Suspense>`) until the first result. @default false */
  suspense?: boolean;
  /** Use this store instead of the provider's. */
  store?: Store<D>;
  /**
   * Identifies the query in the shared cache instead of its source text; needed only when two
   * different queries have the same source and deps. @default `query.toString()`
   */
  key?: string;
}

/**
 * Runs `query` against the store and re-renders when, and only when, its result changes.
 *
 * Components that pass the same query (same source text, or same `key`) and equal `deps` share one
 * store subscription. As with `useMemo`, `deps` must list every value the query closes over; the
 * query is not re-run when only its closure changes. Module-level values count too: two modules
 * whose queries read the same text but mean different constants need distinct `key`s. Unchanged parts of the result keep their
 * identity between results (structural sharing), so memoized children of a list skip rendering.
 * A query that throws re-throws during render, for the nearest error boundary.
 *
 * @returns the latest result; before the first one, `options.default` (or suspends with
 *   `suspense: true`).
 */
export function useSubscribe<TResult, D extends AnyStoreDefinition = RegisteredDefinition>(
  query: Query<D, TResult>,
  deps: DependencyList,
  options: UseSubscribeOptions<D, never> & { suspense: true },
): TResult;
export function useSubscribe<TResult, TDefault, D extends AnyStoreDefinition = RegisteredDefinition>(
  query: Query<D, TResult>,
  deps: DependencyList,
  options: UseSubscribeOptions<D, TDefault> & { default: TDefault },
): TResult | TDefault;
export function useSubscribe<TResult, D extends AnyStoreDefinition = RegisteredDefinition>(
  query: Query<D, TResult>,
  deps: DependencyList,
  options?: UseSubscribeOptions<D, undefined>,
): TResult | undefined;
export function useSubscribe<TResult, TDefault, D extends AnyStoreDefinition>(
  query: Query<D, TResult>,
  deps: DependencyList,
  options: UseSubscribeOptions<D, TDefault> = {},
): TResult | TDefault | undefined {
  const store = useStore(options.store) as unknown as Store<AnyStoreDefinition>;
  const shared = subscriptionCacheFor(store).acquire(
    query as unknown as Query<AnyStoreDefinition, TResult>,
    deps,
    options.key,
  );
  const snapshot = useSyncExternalStore(shared.subscribe, shared.getSnapshot, shared.getSnapshot);
  if (snapshot.status === "error") throw snapshot.error;
  if (snapshot.status === "success") return snapshot.data;
  if (options.suspense) {
    use(shared.firstResult);
    // Rendering resumes here only when React retries synchronously after the promise settled.
    const settled = shared.getSnapshot();
    if (settled.status === "error") throw settled.error;
    if (settled.status === "success") return settled.data;
  }
  return options.default;
}
