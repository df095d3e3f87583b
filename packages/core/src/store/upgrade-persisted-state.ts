import { MutationRejectedError, SyncedStoreError } from "../errors.js";
import type { PersistBatch, PersistedMutation, PersistedState } from "../kv/persistence.js";
import type { AnyStoreDefinition } from "../schema/define-store.js";
import { upgradeMutation } from "../schema/upgrade-mutation.js";
import { mustRefetchBase, upgradeEntries } from "../schema/upgrade-values.js";
import { RETIRED_MUTATION } from "../schema/upgrades.js";
import { validateValue } from "../schema/validate-value.js";

/** Persisted state carried to the definition's version, and the one batch that makes it durable. */
export interface PersistedUpgrade {
  readonly state: PersistedState;
  readonly batch: PersistBatch;
  /** Queued calls that could not be carried over (a retired mutator), rejected locally. */
  readonly rejected: readonly MutationRejectedError[];
  /** Why the base was discarded (a fresh snapshot is pulled), or undefined when it was upgraded. */
  readonly refetch: string | undefined;
}

/** The version persisted state was written under (state from before versions is version 1). */
export function persistedVersion(state: PersistedState): number {
  return state.meta.definitionVersion ?? 1;
}

/**
 * Carries persisted state written under an older definition to `definition.version`: the base
 * through each step's `values` (or discarded, to be pulled afresh, where a step says so or an
 * upgraded value fails the new schema) and every queued mutation through `upgradeMutation`. A call
 * that cannot be carried keeps its id as a `$$retired` placeholder (the server skips it), so the
 * queue stays gap-free and a call the server already holds is not renumbered into another one.
 * Everything lands in one batch (persistence applies batches atomically): a crash leaves either
 * the old state, upgraded again on the next open, or the new one, never half of each.
 * Returns undefined when the state is already at the definition's version; throws
 * `persisted_version_ahead` when a newer version of the app wrote it.
 */
export function upgradePersistedState(
  definition: AnyStoreDefinition,
  state: PersistedState,
): PersistedUpgrade | undefined {
  const from = persistedVersion(state);
  const to = definition.version;
  if (from === to) return undefined;
  if (from > to) {
    throw new SyncedStoreError(
      "persisted_version_ahead",
      `This browser holds ${definition.name} data of version ${from}, newer than this app (version ${to}); reload to update the app`,
    );
  }
  let refetch: string | undefined = mustRefetchBase(definition.upgrades, from, to)
    ? `an upgrade between version ${from} and ${to} asks for a fresh snapshot`
    : undefined;
  let base: Array<readonly [string, unknown]> = [];
  if (refetch === undefined) {
    try {
      for (const [key, value] of upgradeEntries(definition.upgrades, from, to, state.base)) {
        base.push([key, validateValue(definition.patterns, key, value)]);
      }
    } catch (error) {
      refetch = `upgrading the base failed (${error instanceof Error ? error.message : String(error)})`;
      base = [];
    }
  }
  const rejected: MutationRejectedError[] = [];
  const pending = state.pending.map((m): PersistedMutation => {
    const upgraded = upgradeMutation(definition.upgrades, from, to, m.name, m.args);
    if (upgraded.ok) return { ...m, name: upgraded.name, args: upgraded.args };
    rejected.push(new MutationRejectedError(upgraded.code, upgraded.message, m.id, m.name));
    return { ...m, name: RETIRED_MUTATION, args: { mutator: m.name, code: upgraded.code } };
  });
  const meta = {
    ...state.meta,
    definitionVersion: to,
    // A discarded base is no state at any version: pull everything.
    ...(refetch === undefined ? {} : { baseVersion: 0 }),
  };
  return {
    state: { meta, base, pending },
    batch: { meta, resetBase: true, baseSet: base, pendingPut: pending },
    rejected,
    refetch,
  };
}
