import { SyncedStoreError } from "../errors.js";
import type { z } from "zod";
import type { CompiledPattern } from "../schema/key-pattern.js";
import type { LayeredView } from "./layered-view.js";
import type { ReadRecorder, TransactionContext } from "./read-transaction.js";
import { callMutator } from "./call-mutator.js";
import { StoreWriteTransaction } from "./write-transaction.js";
import type { WriteTransaction } from "./transaction.js";

/** A mutator as the engine sees it: untyped args, already parsed by `args`. */
export interface RunnableMutator {
  readonly args: z.ZodType;
  readonly run: (tx: WriteTransaction, args: unknown) => void | Promise<void>;
  /** See `MutatorDef.coalesce`. */
  readonly coalesce?: (args: unknown) => string;
}

/**
 * Runs a mutator over `view` and returns its transaction (whose `writes` are the effect). Throws
 * what the mutator throws; nothing is committed here.
 */
export async function runMutator(
  def: RunnableMutator | undefined,
  name: string,
  args: unknown,
  view: LayeredView,
  ctx: TransactionContext,
  patterns: readonly CompiledPattern[],
  recorder?: ReadRecorder,
): Promise<StoreWriteTransaction> {
  if (def === undefined)
    throw new SyncedStoreError("unknown_mutator", `Unknown mutator ${JSON.stringify(name)}`);
  const tx = new StoreWriteTransaction(ctx, view, patterns, recorder);
  const result = callMutator(name, def.run, tx, args);
  // Synchronous mutators skip a microtask hop.
  if (result instanceof Promise) await result;
  return tx;
}
