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

/*
 * The rebase rule: which pending mutations run again when the state under them moves, and why.
 *
 * What a client shows is its base (the server's state at `baseVersion`) with the pending
 * mutations replayed over it, in replay order: this tab's own in id order, merged with other
 * tabs' by (timestamp, client id) (`PeerMutations.replayOrder`).
 *
 * A server update (poke, pull response, or either starting with `reset`) does two things first:
 *  - it patches the base (a `reset` replaces it);
 *  - it acknowledges: own mutations with id <= the update's `lastMutationId` leave the queue
 *    (`PendingQueue.acknowledge`), and so do other tabs' with id <= their entry in
 *    `client_id_to_last_mutation_id` (`PeerMutations.acknowledge`). The server's result for them
 *    is in the patches; rejected ones left no trace there.
 * Then the mutations still pending are rebased, by this rule:
 *
 *  1. Every mutation runs again when the whole view may differ: the base was reset, other tabs'
 *     mutations are shown or just left (their effects interleave with ours by time, and no read
 *     set is kept for them), or the store just loaded (no run has recorded what it read).
 *  2. Otherwise the keys changed under the pending mutations are the patched keys and the keys the
 *     acknowledged mutations wrote (their optimistic effect leaves; the base holds the server's).
 *     That set stays complete while walking the mutations in order:
 *  3. A mutation runs again when its last run read (`get`, `has`, `del`, `update`, or a scanned
 *     range) a changed key, or when no single run produced its effect (a coalesced call, whose
 *     writes merge several calls). Else it keeps its last effect: mutators are deterministic, so
 *     the same reads give the same writes. Its writes then hold the same values as before, so
 *     those keys stop counting as changed for the mutations after it.
 *  4. After a mutation ran again, a key it wrote with the same value as in its last run is settled
 *     for the mutations after it; a key it wrote differently, or wrote before and not now, is
 *     changed.
 *  5. A run that throws leaves an empty effect and the mutation stays pending: only the server
 *     decides whether it applies (it acknowledges it, with or without a rejection).
 *
 * Why this way: rebase cost grows with the pending work and the keys the update changed, never
 * with the store's size, and the result is exactly that of replaying everything (the unit test
 * `rebase.test.ts` checks both against each other on random programs).
 */

/** What moved under the pending mutations, as `changedUnderPending` reads it. */
export interface RebaseCause {
  /** The base was replaced (a `reset` patch, or the store just loaded). */
  readonly reset: boolean;
  /** Other tabs' mutations shown here changed (added, replaced or acknowledged). */
  readonly peersChanged: boolean;
  /** Keys the update patched in the base. */
  readonly patched: Iterable<string>;
  /** Own mutations the update acknowledged (they just left the queue). */
  readonly acknowledged: readonly PendingMutation[];
}

/**
 * Keys whose value under the pending mutations may differ from the last rebase (rule 2), or
 * undefined when everything may (rule 1).
 */
export function changedUnderPending(cause: RebaseCause): ReadonlySet<string> | undefined {
  if (cause.reset || cause.peersChanged) return undefined;
  const changed = new Set(cause.patched);
  for (const m of cause.acknowledged) for (const key of m.writes.keys()) changed.add(key);
  return changed;
}

/** What a rebase needs. */
export interface RebaseOptions {
  readonly base: OrderedMap<unknown>;
  /** Own pending mutations (with `confirmed`) and other tabs' ones, in replay order. */
  readonly steps: ReadonlyArray<PendingMutation | PeerMutation>;
  readonly mutators: Readonly<Record<string, RunnableMutator | undefined>>;
  readonly patterns: readonly CompiledPattern[];
  readonly ctx: TransactionContext;
  readonly logger: Logger;
  /** From `changedUnderPending`; undefined runs every step. */
  readonly changed: ReadonlySet<string> | undefined;
}

/** The effect of a run that threw or could not start; shared, never written to. */
const NO_WRITES: Layer = new OrderedMap();

/**
 * Rebases `steps` on the base by the rule above and returns the overlay (their combined effect).
 * Each own mutation's `writes` and `reads` are updated to its run. Cost: the steps that run, plus
 * the reused effects.
 */
export async function rebase(options: RebaseOptions): Promise<Layer> {
  const { base, steps, mutators, patterns, ctx, logger } = options;
  const overlay: Layer = new OrderedMap();
  const view = new LayeredView(base, [overlay]);
  const anyPeer = steps.some((m) => !isOwn(m));
  const dirty = options.changed === undefined || anyPeer ? undefined : new Set(options.changed);
  for (const m of steps) {
    const own = isOwn(m) ? m : undefined;
    if (dirty && own?.reads && !own.reads.touches(dirty)) {
      // Rule 3: same reads as its last run, so the same effect.
      own.writes.forEach((value, key) => {
        overlay.set(key, value);
        dirty.delete(key);
      });
      continue;
    }
    const previous = own?.writes;
    const reads = new ReadSet();
    if (own) own.writes = NO_WRITES;
    if (m.parsed.ok) {
      try {
        const runCtx = isOwn(m) ? ctx : { ...ctx, clientId: m.clientId };
        const tx = await runMutator(mutators[m.name], m.name, m.parsed.value, view, runCtx, patterns, reads);
        if (own) own.writes = tx.writes;
        tx.writes.forEach((value, key) => overlay.set(key, value));
      } catch (error) {
        // Rule 5.
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

function isOwn(m: PendingMutation | PeerMutation): m is PendingMutation {
  return "confirmed" in m;
}

/** Rule 4: keys written as before are settled, any other key the mutation touched is changed. */
function markRewritten(dirty: Set<string>, before: Layer, after: Layer): void {
  for (const [key, value] of after.entries()) {
    const old = before.get(key);
    if (old !== undefined && deepEqual(old, value)) dirty.delete(key);
    else dirty.add(key);
  }
  for (const key of before.keys()) if (!after.has(key)) dirty.add(key);
}
