import type { Location } from "./transaction.js";

/**
 * Checks a side adds to every write (the server's storage limits). Each throws to refuse the
 * write; the transaction then keeps nothing of it.
 */
export interface WriteLimits {
  /** Runs first on every `set`, `del` and `update` key, before permissions and schemas. */
  checkKey(key: string): void;
  /** Runs on the normalised JSON text of every value written. */
  checkValue(key: string, json: string): void;
}

/**
 * Who a transaction runs for, where, and with which rights. It is the only thing that differs
 * between the client's and the server's transaction, so each rule below is applied by the one
 * implementation (`StoreWriteTransaction`) on both sides:
 * - `location: "client"`: `$$so/` keys read as absent, and writes to them are validated, then dropped.
 * - `fullAccess`: any key may be written, `$$so/` and every user's `$$pu/` included (server actions).
 * - `limits`: extra checks on keys and values (the server's byte limits).
 */
export interface TransactionContext {
  readonly userId: string;
  readonly clientId: string;
  readonly location: Location;
  readonly fullAccess?: boolean;
  readonly limits?: WriteLimits;
}
