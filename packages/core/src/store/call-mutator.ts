import { SyncedStoreError } from "../errors.js";
import type { StoreWriteTransaction } from "./write-transaction.js";

/** What engines print when an in-place edit hits a frozen value (V8, SpiderMonkey, JSC wordings). */
const FROZEN_EDIT = /read[- ]only|not extensible|object is frozen|Cannot (assign|add|delete|define)/i;

/**
 * Calls a mutator's code on `tx`, on either side. Values a mutator reads are deep-frozen, so an
 * in-place edit throws a `TypeError`; that is turned into a "mutator_failed" error naming the
 * mutator and the keys it read, the same on the client and the server. Other errors pass unchanged.
 */
export function callMutator(
  name: string,
  run: (tx: StoreWriteTransaction, args: unknown) => void | Promise<void>,
  tx: StoreWriteTransaction,
  args: unknown,
): void | Promise<void> {
  try {
    const result = run(tx, args);
    // Synchronous mutators skip a microtask hop.
    if (result instanceof Promise) {
      return result.catch((error: unknown) => {
        throw explainFrozenEdit(error, name, tx);
      });
    }
  } catch (error) {
    throw explainFrozenEdit(error, name, tx);
  }
}

function explainFrozenEdit(error: unknown, name: string, tx: StoreWriteTransaction): unknown {
  if (!(error instanceof TypeError) || !FROZEN_EDIT.test(error.message)) return error;
  const keys = tx.keysRead.map((k) => JSON.stringify(k)).join(", ");
  return new SyncedStoreError(
    "mutator_failed",
    `Mutator ${JSON.stringify(name)} edited a value it read in place (${error.message}; ` +
      `keys read: ${keys || "none"}). Values read are frozen: write a copy, or use tx.update`,
  );
}
