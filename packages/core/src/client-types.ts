import type { MutationRejectedError } from "./errors.js";
import type { PresencePeer } from "./presence/presence-channel.js";
import type {
  ActionArgs,
  ActionResult,
  AnyStoreDefinition,
  MutatorArgs,
  PresenceInput,
  PresenceOf,
  SchemasOf,
} from "./schema/define-store.js";
import type { StoreInspector } from "./inspect/inspection.js";
import type { ReadTransaction } from "./store/transaction.js";
import type { SyncStatus } from "./sync/status.js";

/** What `store.mutate.<name>(args)` resolves to, once the local effect is visible and persisted. */
export interface MutationHandle {
  /** This client's id for the mutation (1, 2, 3… with no gaps). */
  readonly id: number;
  /**
   * Resolves when the server has applied the mutation and this client holds the resulting state;
   * rejects with a `MutationRejectedError` carrying the server's code and message.
   */
  readonly confirmed: Promise<void>;
}

/** A query: reads through a transaction and returns a JSON-like result. */
export type Query<D extends AnyStoreDefinition, TResult> = (
  tx: ReadTransaction<SchemasOf<D>>,
) => Promise<TResult>;

/** Options of `store.subscribe`. */
export interface SubscribeOptions<TResult> {
  /** Called with the first result and then whenever the result changes (deep comparison). */
  onData: (result: TResult) => void;
  /** Called when the query throws. @default reports to the store's `onError` */
  onError?: (error: unknown) => void;
}

/** One key-level change delivered by `store.watch`. */
export type KeyDiff =
  | { readonly op: "add"; readonly key: string; readonly newValue: unknown }
  | { readonly op: "change"; readonly key: string; readonly oldValue: unknown; readonly newValue: unknown }
  | { readonly op: "del"; readonly key: string; readonly oldValue: unknown };

/** Options of `store.watch`. */
export interface WatchOptions {
  /** Deliver the keys already under the prefix as `add` diffs first (if there are any). @default false */
  readonly initialValues?: boolean;
}

/** The typed mutators of a definition. */
export type MutateApi<D extends AnyStoreDefinition> = {
  readonly [K in keyof D["mutatorDefs"] & string]: (args: MutatorArgs<D, K>) => Promise<MutationHandle>;
};

/** The typed actions of a definition. */
export type ActionApi<D extends AnyStoreDefinition> = {
  readonly [K in keyof D["actionDefs"] & string]: (args: ActionArgs<D, K>) => Promise<ActionResult<D, K>>;
};

/**
 * A store's presence: ephemeral state of this connection (cursor, selection, "typing…") shared
 * with the other connections of the space, typed by the definition's `presence` schema. Never
 * stored; the server drops it when the connection ends, and it is sent again on every reconnect.
 */
export interface PresenceApi<D extends AnyStoreDefinition> {
  /** This client's presence, or null before `set` (or after `clear`). */
  readonly get: () => PresenceOf<D> | null;
  /** Replaces this client's presence. Throws `ValidationError` "invalid_presence" when it does not fit. */
  readonly set: (state: PresenceInput<D>) => void;
  /** Merges `partial` into this client's presence (shallow), then as `set`. */
  readonly update: (partial: Partial<PresenceInput<D>>) => void;
  /** Removes this client's presence for everyone (it stays connected). */
  readonly clear: () => void;
  /**
   * The other connections of the space (other users, and this user's other tabs), in the order
   * they appeared. The array keeps its identity until something changes, and each peer until its
   * own state changes. Empty while offline: never shown frozen where they were.
   */
  readonly others: () => readonly PresencePeer<PresenceOf<D>>[];
  /** Calls `listener` with `others()` whenever it changes. Returns an unsubscribe. */
  readonly subscribe: (listener: (others: readonly PresencePeer<PresenceOf<D>>[]) => void) => () => void;
  /** Calls `listener` whenever this client's own presence changes. Returns an unsubscribe. */
  readonly subscribeOwn: (listener: (state: PresenceOf<D> | null) => void) => () => void;
}

/** A local-first store of one space for one user, as returned by `createStore`. */
export interface Store<D extends AnyStoreDefinition> {
  readonly definition: D;
  /** `{store}/{instance}`. */
  readonly spaceId: string;
  readonly userId: string;
  readonly clientId: string;
  /** Resolves once persisted state is loaded (reads before it wait for it). */
  readonly ready: Promise<void>;
  /** Typed mutators: run locally at once, then pushed to the server. */
  readonly mutate: MutateApi<D>;
  /** Typed server-only actions; reject with `OfflineError` when offline. */
  readonly action: ActionApi<D>;
  /** This connection's ephemeral presence, and the others' (see `PresenceApi`). */
  readonly presence: PresenceApi<D>;
  /** Runs a query once over the current view (base + pending). */
  query<TResult>(query: Query<D, TResult>): Promise<TResult>;
  /** Runs `query` now and again when a key it read changes; calls `onData` when its result changes. */
  subscribe<TResult>(
    query: Query<D, TResult>,
    options: SubscribeOptions<TResult> | ((result: TResult) => void),
  ): () => void;
  /** Key-level diffs under `prefix`, after every change that touches it. */
  watch(prefix: string, onChange: (diffs: readonly KeyDiff[]) => void, options?: WatchOptions): () => void;
  /** Current sync status (a new object on each change). */
  readonly status: SyncStatus;
  /** Calls `listener` whenever `status` changes. */
  onStatusChange(listener: (status: SyncStatus) => void): () => void;
  /** Calls `listener` for each mutation the server rejected. */
  onRejection(listener: (error: MutationRejectedError) => void): () => void;
  /**
   * A live look inside the store for devtools: versions, pending mutations, recent
   * acknowledgements and rejections, subscriptions with their read sets, the network log and the
   * keys. Recording starts at the first call (or at creation with the `inspect` option); until
   * then the store records nothing.
   */
  inspect(): StoreInspector;
  /** Stops syncing and releases resources; persisted state stays. */
  close(): Promise<void>;
}

/**
 * A store of any definition: what code that handles every store takes (`Store<D>` is invariant
 * in `D`, so a `Store<typeof todo>` is not a `Store<AnyStoreDefinition>`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStore = Store<any>;
