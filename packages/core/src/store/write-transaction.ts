import { produce } from "immer";
import { PermissionError } from "../errors.js";
import { OrderedMap } from "../kv/ordered-map.js";
import type { CompiledPattern, KeySchemas } from "../schema/key-pattern.js";
import { validateValue } from "../schema/validate-value.js";
import { canWrite, isServerOnlyKey } from "../schema/keys.js";
import { DELETED, LayeredView, type Layer } from "./layered-view.js";
import { StoreReadTransaction, type ReadRecorder } from "./read-transaction.js";
import { storedValue } from "./stored-value.js";
import type { TransactionContext } from "./transaction-policy.js";
import type { WriteTransaction } from "./transaction.js";

/**
 * The one `WriteTransaction` of Synced-Store: the client's mutators, the server's mutators and the
 * server's actions all run on it, over a layered view (the base, then the layers of earlier work:
 * the client's pending overlay, or the server's batch) and a `TransactionContext` that says where
 * it runs and with which rights. Writes go to the transaction's own layer (`writes`), visible to
 * its later reads; the caller commits that layer only when the mutator succeeds, so a mutator that
 * throws leaves no effect.
 */
export class StoreWriteTransaction extends StoreReadTransaction implements WriteTransaction<KeySchemas> {
  /** Key → new value or `DELETED`, in key order. */
  readonly writes: Layer;
  readonly #patterns: readonly CompiledPattern[];

  constructor(
    ctx: TransactionContext,
    below: LayeredView,
    patterns: readonly CompiledPattern[],
    recorder?: ReadRecorder,
  ) {
    const writes: Layer = new OrderedMap();
    super(ctx, new LayeredView(below.base, [...below.layers, writes]), recorder);
    this.writes = writes;
    this.#patterns = patterns;
  }

  /** Validates and writes synchronously; see `set`. */
  write(key: string, value: unknown): void {
    this.#checkWritable(key);
    const stored = storedValue(key, validateValue(this.#patterns, key, value));
    // The JSON text only where a side checks its size (the server's limits); the client needs none.
    if (this.ctx.limits !== undefined) this.ctx.limits.checkValue(key, JSON.stringify(stored));
    if (this.#dropped(key)) return;
    this.writes.set(key, stored);
  }

  set(key: string, value: unknown): Promise<void> {
    try {
      this.write(key, value);
    } catch (error) {
      return rejected(error);
    }
    // One settled promise for every successful set: a bulk write awaits thousands of them.
    return DONE;
  }

  del(key: string): Promise<boolean> {
    return settle(() => {
      this.#checkWritable(key);
      const existed = this.read(key) !== undefined;
      if (!this.#dropped(key)) this.writes.set(key, DELETED);
      return existed;
    });
  }

  update(key: string, recipe: (draft: never) => unknown): Promise<unknown> {
    return settle(() => {
      // Rights first: another user's key is absent on the client but present on the server, so
      // only checking before the read gives the same answer on both sides.
      this.#checkWritable(key);
      const current = this.read(key);
      if (current === undefined) return undefined;
      // immer on both sides: a recipe that edits the draft and also returns a value throws alike.
      this.write(key, produce(current, recipe as (draft: unknown) => void));
      return this.read(key);
    });
  }

  #checkWritable(key: string): void {
    this.ctx.limits?.checkKey(key);
    if (this.ctx.fullAccess === true) return;
    // Server-only keys pass on the client too: the write is validated, then dropped.
    if (!isServerOnlyKey(key) && !canWrite(this.userId, key, this.location)) {
      throw new PermissionError(`User ${JSON.stringify(this.userId)} may not write ${JSON.stringify(key)}`);
    }
  }

  /** On the client, server-only keys are validated but kept out of the local store. */
  #dropped(key: string): boolean {
    return this.location === "client" && isServerOnlyKey(key);
  }
}

const DONE: Promise<void> = Promise.resolve();

/** Runs `fn` now and wraps its outcome in a promise (writes are synchronous underneath). */
function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return rejected(error);
  }
}

function rejected(error: unknown): Promise<never> {
  // Everything thrown here is one of our Error subclasses (or the recipe's own error).
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
  return Promise.reject(error);
}
