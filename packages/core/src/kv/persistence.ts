/**
 * The persistence contract: where a client keeps its state between runs. Writes are incremental
 * (a batch names only what changed), atomic per batch, and applied in call order, so a store never
 * rewrites its whole base per update.
 */

/** Scalars a store keeps beside its base and pending mutations. */
export interface PersistedMeta {
  readonly clientId: string;
  /** History id of the server state the base came from; null before the first sync. */
  readonly historyId: string | null;
  readonly baseVersion: number;
  /** Highest mutation id the server acknowledged. */
  readonly lastAcknowledgedId: number;
  /**
   * Version of the store definition the base and queue were written under; absent in state
   * persisted before definitions had versions (version 1).
   */
  readonly definitionVersion?: number;
}

/** One pending mutation as persisted (the arguments as the caller gave them). */
export interface PersistedMutation {
  readonly id: number;
  readonly name: string;
  readonly args: unknown;
  readonly timestamp: number;
}

/** Everything a store persisted, as `load` returns it. */
export interface PersistedState {
  readonly meta: PersistedMeta;
  /** Base entries, in any order. */
  readonly base: ReadonlyArray<readonly [string, unknown]>;
  /** Pending mutations in id order. */
  readonly pending: readonly PersistedMutation[];
}

/** One atomic change to persisted state. Applied in field order: reset, deletes, sets. */
export interface PersistBatch {
  /** Replaces the persisted meta. */
  readonly meta?: PersistedMeta;
  /** Clears the whole base first (a `reset` patch). */
  readonly resetBase?: boolean;
  readonly baseDel?: readonly string[];
  readonly baseSet?: ReadonlyArray<readonly [string, unknown]>;
  readonly pendingDel?: readonly number[];
  readonly pendingPut?: readonly PersistedMutation[];
}

/** Persisted state of one store (one space, user and client). */
export interface Persistence {
  /** The persisted state, or undefined when nothing was persisted yet. */
  load(): Promise<PersistedState | undefined>;
  /**
   * Applies `batch` atomically. Batches apply in the order `write` was called, and the returned
   * promise resolves once the batch is durable.
   */
  write(batch: PersistBatch): Promise<void>;
  /** Releases resources; the data stays. */
  close(): Promise<void>;
}

/** Opens the persistence of one store by name (`{spaceId}/{userId}[/{clientId}]`). */
export interface PersistenceProvider {
  open(name: string): Persistence;
}
