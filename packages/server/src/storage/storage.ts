/**
 * The storage contract of the sync server. Every backend (memory, SQLite, PostgreSQL) implements
 * `Storage` and passes `runStorageContract` (./storage-contract.ts).
 *
 * Model, per space (`{store}/{instance}`):
 * - a head: `historyId` (fixed when the space is created, new when its data is wiped or restored),
 *   `version` (incremented by the engine once per committed batch) and `horizon` (the oldest
 *   version a "changes since v" read is still complete for, see `collectTombstones`);
 * - key rows: each live key holds a JSON value and the version it last changed at; a deleted key
 *   keeps a tombstone row (no value) with the version of its deletion, so a pull since `v` costs
 *   what changed after `v`, not the whole space;
 * - client rows: the user each client belongs to (bound when it first connects), the last mutation
 *   id the server processed for it, and the version at which that id last changed.
 *
 * Storage holds no engine logic: it never increments versions by itself or checks mutation ids.
 * Every method returns a promise so that network databases fit the same interface.
 */

/** The head row of a space. */
export interface SpaceHead {
  /** Identifies this space's history; clients from another history are reset. */
  readonly historyId: string;
  /** Version of the last committed batch; 0 for a new space. */
  readonly version: number;
  /**
   * Tombstones with `version <= horizon` may have been collected: `changesSince(v)` is complete
   * only for `v >= horizon`. 0 for a new space.
   */
  readonly horizon: number;
  /**
   * Version of the store definition the space's data was last migrated to (`setSchemaVersion`);
   * 0 for a space created since, which nothing stamped yet; 1 for spaces stored before versions.
   */
  readonly schemaVersion: number;
}

/** A live key and its value. */
export interface KeyRow {
  readonly key: string;
  /** Any JSON value (never `undefined`). */
  readonly value: unknown;
  /** Version of the batch that last wrote this key. */
  readonly version: number;
}

/** A key row or a tombstone, as returned by `changesSince`. */
export type KeyChange =
  | { readonly key: string; readonly version: number; readonly deleted: false; readonly value: unknown }
  | { readonly key: string; readonly version: number; readonly deleted: true };

/** One write of a batch: a JSON value, or a deletion (`value` omitted, `deleted: true`). */
export type KeyWrite =
  | { readonly key: string; readonly deleted: false; readonly value: unknown }
  | { readonly key: string; readonly deleted: true };

/** A client's progress in a space. */
export interface ClientRow {
  readonly clientId: string;
  /** The user the client authenticated as when it first connected; it never changes. */
  readonly userId: string;
  /** Highest mutation id of this client the server processed (applied or rejected); 0 before any. */
  readonly lastMutationId: number;
  /**
   * Space version of the batch that last changed `lastMutationId`; for a row written when the
   * client was admitted, the space's version then (possibly 0).
   */
  readonly version: number;
}

/** How many rejections, and how many bytes of them, a space keeps. */
export interface RejectionBounds {
  readonly perClient: number;
  readonly perClientBytes: number;
  readonly perSpace: number;
  readonly perSpaceBytes: number;
}

/** A rejected mutation, kept so its client learns the reason even after a reconnect elsewhere. */
export interface RejectionRow {
  readonly clientId: string;
  readonly mutationId: number;
  /** Wire error code (`mutator_failed`, `invalid_args`, …). */
  readonly code: string;
  readonly message: string;
}

/** Bounds of a key scan. */
export interface StorageScanOptions {
  /** Only keys starting with this prefix. @default "" */
  readonly prefix?: string;
  /** Only keys `>= start`. @default "" */
  readonly start?: string;
  /** At most this many rows. @default no limit */
  readonly limit?: number;
}

/** Filter of `clients`. */
export interface ClientQuery {
  /** Only this user's clients. @default every user */
  readonly userId?: string;
  /** Only clients whose row changed at a version `> sinceVersion`. @default every row (version 0 too) */
  readonly sinceVersion?: number;
}

/**
 * Consistent reads of one space: every call inside one `read`/`transact` callback sees the same
 * committed state (plus, in a transaction, the transaction's own writes).
 */
export interface StorageReader {
  /** The space's head, or undefined when the space was never created. */
  head(): Promise<SpaceHead | undefined>;
  /** The live row of `key`, or undefined (absent or deleted). */
  get(key: string): Promise<KeyRow | undefined>;
  /** Live rows in key order (UTF-16 code unit order, as JS compares strings). */
  scan(options?: StorageScanOptions): Promise<KeyRow[]>;
  /** Every live row, in key order: what a client reset to a full snapshot receives. */
  snapshot(): Promise<KeyRow[]>;
  /**
   * Rows and tombstones changed at a version `> version`, in key order. Complete only when
   * `version >= head.horizon`; the caller checks the horizon and falls back to `snapshot`.
   */
  changesSince(version: number): Promise<KeyChange[]>;
  /** The row of `clientId`, or undefined when it never connected. */
  getClient(clientId: string): Promise<ClientRow | undefined>;
  /** Client rows matching `query`, in client id order. */
  clients(query?: ClientQuery): Promise<ClientRow[]>;
  /**
   * Optional (SQLite and PostgreSQL have it). Rejections of `clientId` with
   * `mutationId > afterMutationId`, in id order. Without it the engine remembers rejections in
   * process memory only: another process, or this one after a restart, cannot replay them.
   */
  rejections?(clientId: string, afterMutationId: number): Promise<RejectionRow[]>;
}

/** Reads and writes of one space inside one atomic transaction. */
export interface StorageTransaction extends StorageReader {
  /**
   * The space's head; creates the space (version 0, horizon 0, a new random history id) when it
   * does not exist yet. The creation commits with the transaction.
   */
  head(): Promise<SpaceHead>;
  /**
   * Writes a batch's keys: each value (or tombstone) replaces the key's row, stamped `version`.
   * A tombstone for a key that never existed may be skipped.
   */
  putKeys(version: number, writes: readonly KeyWrite[]): Promise<void>;
  /** Inserts or replaces client rows. */
  putClients(rows: readonly ClientRow[]): Promise<void>;
  /** Sets the head's version (the engine passes `head.version + 1` once per committed batch). */
  setVersion(version: number): Promise<void>;
  /** Records the store definition version the space's data now has (after a data migration). */
  setSchemaVersion(schemaVersion: number): Promise<void>;
  /**
   * Deletes tombstones with `version <= horizon` and raises the head's horizon to `horizon`
   * (never lowers it). Clients with an older cookie then receive a full snapshot.
   */
  collectTombstones(horizon: number): Promise<void>;
  /**
   * Optional (with `StorageReader.rejections`). Stores rejections of the batch committed as
   * `version`, then collects the oldest until each client and the space are within `bounds`, in
   * counts and in bytes (counted as `rejectionBytes` does): a client's oldest first (by mutation
   * id), across clients those of the oldest versions first.
   */
  putRejections?(version: number, rows: readonly RejectionRow[], bounds: RejectionBounds): Promise<void>;
}

/**
 * A storage backend.
 *
 * Guarantees every implementation gives (and `runStorageContract` checks):
 * - `transact` callbacks of one space never overlap, across every process sharing the backend
 *   (PostgreSQL: a row lock on the space's head); callbacks of different spaces may overlap.
 * - A `transact` callback that resolves commits all its writes atomically and durably before
 *   `transact` resolves; one that throws (or rejects) commits nothing and `transact` rejects
 *   with the same error.
 * - A `read` callback sees one committed state, never a partial transaction, and never creates
 *   the space.
 * - Values come back as equal JSON (not necessarily the same object).
 */
export interface Storage {
  /** Runs `fn` in an exclusive, atomic, durable transaction on `spaceId`; returns its result. */
  transact<T>(
    spaceId: string,
    fn: (tx: StorageTransaction) => Promise<T>,
    hints?: StorageAccessHints,
  ): Promise<T>;
  /** Runs `fn` over a consistent read-only view of `spaceId`; returns its result. */
  read<T>(spaceId: string, fn: (reader: StorageReader) => Promise<T>, hints?: StorageAccessHints): Promise<T>;
  /** The ids of every stored space starting with `prefix`, in order (e.g. to migrate them all). */
  spaces(prefix: string): Promise<string[]>;
  /** Releases connections and file handles; pending transactions finish first. */
  close(): Promise<void>;
  /**
   * Optional. Calls `listener` after each commit the database made durable, with how long that
   * commit took (the COMMIT itself: fsync, or the database's round trip) and how many `transact`
   * callbacks it carried. The server feeds its `/metrics` from it. Returns an unsubscribe.
   */
  onCommit?(listener: (commit: StorageCommit) => void): () => void;
}

/**
 * What a `transact` or `read` callback is about to read, so that a networked database can fetch it
 * with the round trip that opens the transaction. Only a hint: results are the same without it.
 */
export interface StorageAccessHints {
  /**
   * The callback will likely call `changesSince(v)` and `clients({ sinceVersion: v })` (a cache at
   * version `v` catching up).
   */
  readonly changesSince?: number;
}

/** One durable commit, as `Storage.onCommit` reports it. */
export interface StorageCommit {
  /** Time the COMMIT took, in ms. */
  readonly durationMs: number;
  /** `transact` callbacks committed by it (more than one where commits are grouped). */
  readonly transactions: number;
}
