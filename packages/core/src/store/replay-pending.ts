import { OrderedMap } from "../kv/ordered-map.js";
import type { CompiledPattern } from "../schema/key-pattern.js";
import { deepEqual } from "../util/deep-equal.js";
import type { Logger } from "../util/logger.js";
import { LayeredView, type Layer } from "./layered-view.js";
import type { PeerMutation } from "./peer-mutations.js";
import type { PendingMutation } from "./pending-mutation.js";
import { ReadSet } from "./read-set.js";
import type { TransactionContext } from "./read-transaction.js";
import { runMutator, type RunnableMutator } from "./run-mutator.js";

/** What a replay needs. */
export interface ReplayOptions {
  readonly base: OrderedMap<unknown>;
  /** Own pending mutations (with `confirmed`) and other tabs' ones, in replay order. */
  readonly steps: ReadonlyArray<PendingMutation | PeerMutation>;
  readonly mutators: Readonly<Record<string, RunnableMutator | undefined>>;
  readonly patterns: readonly CompiledPattern[];
  readonly ctx: TransactionContext;
  readonly logger: Logger;
  /**
   * Keys whose value under the pending mutations changed since the last replay. An own mutation
   * whose last run read none of the keys changed so far keeps its effect without running again.
   * Undefined: everything may have changed, every step runs.
   */
  readonly changed: ReadonlySet<string> | undefined;
}

/** The effect of a run that threw or could not start; shared, never written to. */
const NO_WRITES: Layer = new OrderedMap();

/**
 * Replays `steps` over the base and returns the overlay (their combined effect). Each own
 * mutation's `writes` and `reads` are updated to its run; one that throws keeps an empty effect
 * (it stays pending: the server decides). Cost: the steps that must run, plus the reused effects.
 */
export async function replayPending(options: ReplayOptions): Promise<Layer> {
  const { base, steps, mutators, patterns, ctx, logger } = options;
  const overlay: Layer = new OrderedMap();
  const view = new LayeredView(base, [overlay]);
  const dirty = options.changed === undefined ? undefined : new Set(options.changed);
  for (const m of steps) {
    const own = "confirmed" in m ? m : undefined;
    if (dirty && own?.reads && !own.reads.touches(dirty)) {
      // Same inputs as its last run (mutators are deterministic), so the same effect; the keys it
      // writes hold the same values as after the last replay again.
      for (const [key, value] of own.writes.entries()) {
        overlay.set(key, value);
        dirty.delete(key);
      }
      continue;
    }
    const previous = own?.writes;
    const reads = new ReadSet();
    if (own) own.writes = NO_WRITES;
    if (m.parsed.ok) {
      try {
        const runCtx = "clientId" in m ? { ...ctx, clientId: m.clientId } : ctx;
        const tx = await runMutator(mutators[m.name], m.name, m.parsed.value, view, runCtx, patterns, reads);
        if (own) own.writes = tx.writes;
        for (const [key, value] of tx.writes.entries()) overlay.set(key, value);
      } catch (error) {
        logger.warn(`Replay of mutation ${m.id} (${m.name}) threw; its local effect is empty`, error);
      }
    }
    if (own) {
      own.reads = reads;
      if (dirty && previous) markRewritten(dirty, previous, own.writes);
    }
  }
  return overlay;
}

/** After a mutation ran again: keys written as before are settled, any other key it touched is dirty. */
function markRewritten(dirty: Set<string>, before: Layer, after: Layer): void {
  for (const [key, value] of after.entries()) {
    const old = before.get(key);
    if (old !== undefined && deepEqual(old, value)) dirty.delete(key);
    else dirty.add(key);
  }
  for (const key of before.keys()) if (!after.has(key)) dirty.add(key);
}
