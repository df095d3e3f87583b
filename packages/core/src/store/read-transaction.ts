import { SERVER_ONLY_PREFIX, canRead, isServerOnlyKey, privateKey } from "../schema/keys.js";
import type { KeySchemas } from "../schema/key-pattern.js";
import { deepFreeze } from "../util/deep-freeze.js";
import { scanBounds, type LayeredView } from "./layered-view.js";
import type { TransactionContext } from "./transaction-policy.js";
import type { Location, ReadTransaction, ScanEntry, ScanOptions } from "./transaction.js";

export type { TransactionContext } from "./transaction-policy.js";

/** How many read keys a transaction remembers for its error messages. */
const KEYS_READ_KEPT = 4;

/**
 * Receives what a transaction reads, so subscriptions can tell which changes concern them.
 * A scan reads keys in `[from, to]` under `prefix`; `to` is undefined when the scan ran to the
 * end of its prefix (no limit reached).
 */
export interface ReadRecorder {
  key(key: string): void;
  range(prefix: string, from: string, to: string | undefined): void;
}

/**
 * `ReadTransaction` over a layered view, optionally recording what it reads. Every value it
 * returns is deep-frozen (once; a frozen value costs one check after that), on the client and the
 * server alike, so no mutator or query can change the base, a pending layer or a cache through a
 * value it read.
 */
export class StoreReadTransaction implements ReadTransaction<KeySchemas> {
  readonly userId: string;
  readonly clientId: string;
  readonly location: Location;
  /** The first few keys read that the user may read (gets and scanned entries), named in errors. */
  readonly keysRead: string[] = [];
  protected readonly ctx: TransactionContext;

  constructor(
    ctx: TransactionContext,
    protected readonly view: LayeredView,
    protected readonly recorder?: ReadRecorder,
  ) {
    this.userId = ctx.userId;
    this.clientId = ctx.clientId;
    this.location = ctx.location;
    this.ctx = ctx;
  }

  /** Synchronous `get`, for callers inside the engine. */
  read(key: string): unknown {
    this.recorder?.key(key);
    this.#noteRead(key);
    if (this.location === "client" && isServerOnlyKey(key)) return undefined;
    return deepFreeze(this.view.get(key));
  }

  get(key: string): Promise<unknown> {
    return Promise.resolve(this.read(key));
  }

  has(key: string): Promise<boolean> {
    return Promise.resolve(this.read(key) !== undefined);
  }

  /** Synchronous `scan`, for callers inside the engine. */
  readScan(options?: ScanOptions<string>): Array<ScanEntry<unknown>> {
    const bounds = scanBounds(options);
    let entries = this.view.scan(bounds);
    // Only a prefix that server-only keys can start with may list one.
    const mayHoldServerOnly =
      SERVER_ONLY_PREFIX.startsWith(bounds.prefix) || bounds.prefix.startsWith(SERVER_ONLY_PREFIX);
    if (this.location === "client" && mayHoldServerOnly) {
      // Server-only keys never reach a client store, but a scan must not show one regardless.
      entries = entries.filter((e) => !isServerOnlyKey(e.key));
    }
    for (const e of entries) {
      deepFreeze(e.value);
      if (this.keysRead.length < KEYS_READ_KEPT) this.#noteRead(e.key);
    }
    if (this.recorder) {
      const full = entries.length >= bounds.limit;
      this.recorder.range(bounds.prefix, bounds.from, full ? entries[entries.length - 1]?.key : undefined);
    }
    return entries;
  }

  // The interface's scan is generic in the prefix; values are `unknown` at this level.
  scan(options?: ScanOptions<string>): Promise<Array<ScanEntry<never>>> {
    return Promise.resolve(this.readScan(options) as Array<ScanEntry<never>>);
  }

  #noteRead(key: string): void {
    // Only keys this user can see on every side, so an error reads the same on client and server.
    if (!canRead(this.userId, key)) return;
    if (this.keysRead.length < KEYS_READ_KEPT && !this.keysRead.includes(key)) this.keysRead.push(key);
  }

  privateKey<TRest extends string>(rest: TRest): `$$pu/${string}/${TRest}` {
    return privateKey(this.userId, rest);
  }
}
