import {
  LocalStore,
  OrderedMap,
  callMutator,
  canRead,
  type CompiledPattern,
} from "@synced-store/core/internal";
import { memoryPersistence } from "@synced-store/core";
import type { z } from "zod";
import { defaultLimits } from "../engine/limits.js";
import { serverTransaction } from "../engine/server-transaction.js";
import { DELETED, SpaceState } from "../engine/space-state.js";
import { toWireError } from "../engine/wire-error.js";

/** What a definition must offer to run through both engines. */
export interface EngineDefinition {
  readonly patterns: readonly CompiledPattern[];
  readonly mutatorDefs: Readonly<
    Record<string, { readonly args: z.ZodType; readonly run: (tx: never, args: never) => unknown }>
  >;
}

/** One side's outcome of one mutation. */
export interface EngineOutcome {
  /** Key → written value, `null` for a delete; empty when the mutation failed. */
  readonly writes: Record<string, unknown>;
  /** The error's code and message, when it failed. */
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * Runs mutator `name` on the client engine (`LocalStore.mutate` over a base holding what `userId`
 * may read of `state`) and returns its outcome, with the store to inspect afterwards.
 */
export async function runOnClient(
  definition: EngineDefinition,
  state: Readonly<Record<string, unknown>>,
  userId: string,
  name: string,
  args: unknown,
): Promise<EngineOutcome & { readonly store: LocalStore }> {
  const store = new LocalStore({
    definition: definition as never,
    userId,
    clientId: "c1",
    persistence: memoryPersistence().open(`both-engines-${userId}`),
    now: () => 0,
  });
  const patches = Object.entries(state)
    .filter(([key]) => canRead(userId, key))
    .map(([key, value]) => ({ op: "set" as const, key, value: structuredClone(value) }));
  await store.applyServerUpdate({ minIncludedVersion: 1, maxIncludedVersion: 1, patches });
  try {
    await store.mutate(name, args);
    // Nothing was pending before, so the overlay is exactly this mutation's writes.
    const writes: Record<string, unknown> = {};
    for (const [key, value] of store.layers().overlay.entries())
      writes[key] = value === DELETED ? null : value;
    return { store, writes };
  } catch (error) {
    const e = toWireError(error, "mutator_failed");
    return { store, writes: {}, error: { code: e.code, message: e.message } };
  }
}

/**
 * Runs mutator `name` as the server engine does for a push (`serverTransaction`, `callMutator`)
 * over a cached space holding `state`.
 */
export async function runOnServer(
  definition: EngineDefinition,
  state: Readonly<Record<string, unknown>>,
  userId: string,
  name: string,
  args: unknown,
): Promise<EngineOutcome & { readonly cache: SpaceState }> {
  const cache = new SpaceState();
  cache.apply(1, OrderedMap.from(Object.entries(structuredClone(state))), new Map());
  const ctx = {
    userId,
    clientId: "c1",
    fullAccess: false,
    patterns: definition.patterns,
    limits: defaultLimits,
  };
  const tx = serverTransaction(ctx, cache, new OrderedMap());
  try {
    const def = definition.mutatorDefs[name];
    if (def === undefined) throw new Error(`No mutator ${name}`);
    const parsed = def.args.parse(args);
    await callMutator(name, def.run as never, tx, parsed);
    const writes: Record<string, unknown> = {};
    for (const [key, value] of tx.writes.entries()) writes[key] = value === DELETED ? null : value;
    return { cache, writes };
  } catch (error) {
    const e = toWireError(error, "mutator_failed");
    return { cache, writes: {}, error: { code: e.code, message: e.message } };
  }
}
