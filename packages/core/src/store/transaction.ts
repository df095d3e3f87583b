import type { KeySchemas, ValueAt, ValueUnder } from "../schema/key-pattern.js";

/** Where a mutator runs: optimistically on the client, or canonically on the server. */
export type Location = "client" | "server";

/** Options of `tx.scan`. Results come in key order. */
export interface ScanOptions<TPrefix extends string = string> {
  /** Only keys starting with this prefix. @default "" */
  prefix?: TPrefix;
  /** Only keys `>= start` (inclusive). @default the first key under `prefix` */
  start?: string;
  /** At most this many entries. @default no limit */
  limit?: number;
}

/** One entry returned by `tx.scan`. */
export interface ScanEntry<TValue> {
  readonly key: string;
  readonly value: TValue;
}

/**
 * Read access to a store, typed by its key schemas. Values returned are shared with the store:
 * treat them as read-only (use `update` to derive a changed copy).
 */
export interface ReadTransaction<S extends KeySchemas = KeySchemas> {
  /** The authenticated user the code runs for. */
  readonly userId: string;
  /** The client whose mutation this is (on the server: the pushing client; in actions: ""). */
  readonly clientId: string;
  readonly location: Location;
  /** The value at `key`, or undefined. `$$so/` keys read as absent on the client. */
  get<K extends string>(key: K): Promise<ValueAt<S, K> | undefined>;
  /** Whether `key` holds a value. */
  has(key: string): Promise<boolean>;
  /** Entries in key order, bounded by prefix, start and limit. */
  scan<TPrefix extends string = "">(
    options?: ScanOptions<TPrefix>,
  ): Promise<Array<ScanEntry<ValueUnder<S, TPrefix>>>>;
  /** `$$pu/{userId}/{rest}` for this transaction's user. */
  privateKey<TRest extends string>(rest: TRest): `$$pu/${string}/${TRest}`;
}

/** Read and write access, given to mutators and actions. */
export interface WriteTransaction<S extends KeySchemas = KeySchemas> extends ReadTransaction<S> {
  /**
   * Writes `value` at `key` after validating it against the key's schema. Throws a
   * `ValidationError` on an invalid value or a key no family matches, and a `PermissionError` on a
   * key this user may not write.
   */
  set<K extends string>(key: K, value: ValueAt<S, K>): Promise<void>;
  /** Deletes `key`; returns whether it held a value. */
  del(key: string): Promise<boolean>;
  /**
   * Applies `recipe` to an immer draft of the value at `key` and writes the result. Returns the
   * new value, or undefined (writing nothing) when the key holds no value.
   */
  update<K extends string>(
    key: K,
    recipe: (draft: ValueAt<S, K>) => void | ValueAt<S, K>,
  ): Promise<ValueAt<S, K> | undefined>;
}
