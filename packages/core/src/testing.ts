/**
 * `@synced-store/core/testing`: helpers for tests of stores, servers and apps.
 */
import { createStore, type CreateStoreOptions } from "./client.js";
import type { Store } from "./client-types.js";
import type { AnyStoreDefinition } from "./schema/define-store.js";
import type { SyncTarget } from "./store/server-update.js";
import { canRead } from "./schema/keys.js";
import { deepEqual } from "./util/deep-equal.js";

/** A store's whole visible state (base + pending), as a plain object in key order. */
export async function visibleState<D extends AnyStoreDefinition>(
  store: Store<D>,
): Promise<Record<string, unknown>> {
  const entries = await store.query((tx) => tx.scan());
  // Without prototype: a key may be `__proto__`.
  const out = Object.create(null) as Record<string, unknown>;
  for (const { key, value } of entries) out[key] = value;
  return out;
}

/** `state` as `userId` may see it (no `$$so/` keys, no other user's `$$pu/` keys). */
export function filterForUser(
  state: Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown>,
  userId: string,
): Record<string, unknown> {
  const entries: Array<[string, unknown]> =
    state instanceof Map ? [...(state as ReadonlyMap<string, unknown>)] : Object.entries(state);
  const out = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (canRead(userId, key)) out[key] = value;
  }
  return out;
}

/** Options of `assertConverged`. */
export interface AssertConvergedOptions {
  /** Accept stores that still hold pending mutations. @default false */
  readonly allowPending?: boolean;
}

/**
 * Throws unless every store shows exactly `expected` (the server's state, filtered here for each
 * store's user) and, unless allowed, has nothing pending. Without `expected`, stores of the same
 * user must hold equal states and all stores equal shared keys.
 */
export async function assertConverged<D extends AnyStoreDefinition>(
  stores: ReadonlyArray<Store<D>>,
  expected?: Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown>,
  options: AssertConvergedOptions = {},
): Promise<void> {
  const states = await Promise.all(stores.map((s) => visibleState(s)));
  for (const [i, store] of stores.entries()) {
    if (!options.allowPending && store.status.pendingCount > 0) {
      throw new Error(
        `Store ${i} (${store.clientId}) still has ${store.status.pendingCount} pending mutations`,
      );
    }
    const want = expected
      ? filterForUser(expected, store.userId)
      : filterForUser(states[0]!, store.userId === stores[0]!.userId ? store.userId : "");
    const got = expected || store.userId === stores[0]!.userId ? states[i]! : filterForUser(states[i]!, "");
    const diff = firstDifference(want, got);
    if (diff !== undefined) {
      throw new Error(`Store ${i} (user ${store.userId}, client ${store.clientId}) diverges at ${diff}`);
    }
  }
}

function firstDifference(want: Record<string, unknown>, got: Record<string, unknown>): string | undefined {
  for (const key of new Set([...Object.keys(want), ...Object.keys(got)])) {
    if (!deepEqual(want[key], got[key])) {
      return `${JSON.stringify(key)}: expected ${JSON.stringify(want[key])}, got ${JSON.stringify(got[key])}`;
    }
  }
  return undefined;
}

/** A store driven by hand: `target` is what a sync layer would drive (apply updates, acks…). */
export interface DrivenStore<D extends AnyStoreDefinition> {
  readonly store: Store<D>;
  readonly target: SyncTarget;
}

/**
 * Creates a store whose sync layer is the test itself: it reports `online` (so actions would
 * reach it and status shows `syncing`), rejects actions, and returns the `SyncTarget` to feed
 * server updates, rejections and history changes into.
 */
export function createDrivenStore<D extends AnyStoreDefinition>(
  definition: D,
  options: Omit<CreateStoreOptions, "connect">,
): DrivenStore<D> {
  let target: SyncTarget | undefined;
  const store = createStore(definition, {
    ...options,
    connect: (t) => {
      target = t;
      return {
        status: () => ({ connection: "online", lastError: null }),
        onStatusChange: () => () => undefined,
        action: (name) => Promise.reject(new Error(`No server in this test: action ${name}`)),
        close: () => Promise.resolve(),
      };
    },
  });
  if (target === undefined) throw new Error("createStore did not attach its sync layer");
  return { store, target };
}
