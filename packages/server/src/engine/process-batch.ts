import { SyncedStoreError, ValidationError } from "@synced-store/core";
import { RETIRED_MUTATION, callMutator, upgradeMutation } from "@synced-store/core/internal";
import { type WireMutation } from "@synced-store/core/protocol";
import type { Limits } from "./limits.js";
import { serverTransaction } from "./server-transaction.js";
import type { SpaceState, WriteLayer } from "./space-state.js";
import type { StoreRuntime } from "./store-runtime.js";
import { Watchdog } from "../util/watchdog.js";
import { quoteName, toWireError, type WireError } from "./wire-error.js";

/** Input of `processBatch`. */
export interface BatchInput {
  readonly store: StoreRuntime;
  readonly state: SpaceState;
  readonly limits: Limits;
  readonly userId: string;
  readonly clientId: string;
  /** The definition version the client runs: its mutations are upgraded from it first. */
  readonly clientVersion: number;
  readonly mutations: readonly WireMutation[];
  /** The client's last processed mutation id before this batch. */
  readonly startLastMutationId: number;
  /**
   * The group's write layer: earlier batches' accepted writes, visible to this batch's mutators;
   * this batch's accepted writes are added to it.
   */
  readonly writes: WriteLayer;
}

/** What a batch did; nothing is stored yet. */
export interface BatchResult {
  readonly startLastMutationId: number;
  readonly lastMutationId: number;
  readonly applied: number;
  readonly skipped: number;
  readonly errors: Array<{ readonly id: number; readonly error: WireError }>;
  /** Set when a gap stopped the batch: the last processed id. */
  readonly gapAfter?: number;
}

/**
 * Runs a push batch over the cached state, as DESIGN.md's push rules say: an id at or below the
 * client's last mutation id is a duplicate and skipped; an id past the next one is a gap and stops
 * the batch; otherwise the mutator runs, and its writes join the batch, or on any error are
 * dropped with the error recorded. Either way the last mutation id advances.
 */
export async function processBatch(input: BatchInput): Promise<BatchResult> {
  const watchdog = new Watchdog(input.limits.mutatorTimeoutMs, "mutator_failed");
  try {
    return await runBatch(input, watchdog);
  } finally {
    watchdog.dispose();
  }
}

async function runBatch(input: BatchInput, watchdog: Watchdog): Promise<BatchResult> {
  const { store, state, userId, clientId, writes } = input;
  const start = input.startLastMutationId;
  let last = start;
  let applied = 0;
  let skipped = 0;
  const errors: Array<{ id: number; error: WireError }> = [];
  const ctx = { userId, clientId, fullAccess: false, patterns: store.patterns, limits: input.limits };
  for (const m of input.mutations) {
    if (m.id <= last) {
      skipped++;
      continue;
    }
    if (m.id > last + 1)
      return {
        startLastMutationId: start,
        lastMutationId: last,
        applied,
        skipped,
        errors,
        gapAfter: last,
      };
    if (m.name === RETIRED_MUTATION) {
      // A queued call the client itself rejected while upgrading: it only keeps the ids gap-free.
      skipped++;
      last = m.id;
      continue;
    }
    const tx = serverTransaction(ctx, state, writes);
    try {
      const call = upgradeMutation(store.upgrades, input.clientVersion, store.version, m.name, m.args);
      if (!call.ok) throw new SyncedStoreError(call.code, call.message);
      const def = store.mutator(call.name);
      if (def === undefined) {
        throw new SyncedStoreError("unknown_mutator", `Unknown mutator ${quoteName(call.name)}`);
      }
      const args = def.args.safeParse(call.args);
      if (!args.success) {
        throw new ValidationError(
          "invalid_args",
          `Invalid args for ${call.name}: ${args.error.message}`,
          args.error.issues,
        );
      }
      const ran = callMutator(call.name, def.run, tx, args.data);
      // Synchronous mutators skip a microtask hop. A late mutator writes only to its own,
      // abandoned transaction.
      if (ran instanceof Promise) await watchdog.watch(ran, `Mutator ${call.name} did not finish`);
      for (const [k, v] of tx.writes.entries()) writes.set(k, v);
      applied++;
    } catch (error) {
      errors.push({
        id: m.id,
        error: toWireError(error, "mutator_failed", input.limits.maxErrorMessageBytes),
      });
    }
    last = m.id;
  }
  return { startLastMutationId: start, lastMutationId: last, applied, skipped, errors };
}
