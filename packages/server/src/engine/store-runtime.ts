import type { ActionContext, AnyStoreDefinition, Upgrades, WriteTransaction } from "@synced-store/core";
import type { CompiledPattern } from "@synced-store/core/internal";
import type { z } from "zod";

/** A mutator as the engine calls it. */
export interface RuntimeMutator {
  readonly args: z.ZodType;
  readonly run: (tx: WriteTransaction, args: unknown) => void | Promise<void>;
}

/** An action as the engine calls it. */
export interface RuntimeAction {
  readonly args: z.ZodType;
  readonly run: (tx: WriteTransaction, args: unknown, ctx: ActionContext) => Promise<unknown>;
}

/**
 * Server-side replacements of a store's mutators, by store name then mutator name: the server
 * runs these instead of the shared code (asymmetric trust), e.g. with stricter checks. An
 * override without `args` keeps the shared schema.
 */
export type MutatorOverrides = Record<
  string,
  Record<
    string,
    {
      readonly args?: z.ZodType;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each override types its own args
      readonly run: (tx: WriteTransaction, args: any) => void | Promise<void>;
    }
  >
>;

/** What the engine needs of one store type. */
export interface StoreRuntime {
  readonly name: string;
  /** The definition's version: what this server runs. */
  readonly version: number;
  /** The oldest client version served; pushes of older versions in range are upgraded. */
  readonly minSupportedVersion: number;
  readonly upgrades: Upgrades;
  readonly patterns: readonly CompiledPattern[];
  mutator(name: string): RuntimeMutator | undefined;
  action(name: string): RuntimeAction | undefined;
}

/** The runtime of `def`, with `overrides` for its mutators applied. */
export function storeRuntime(def: AnyStoreDefinition, overrides: MutatorOverrides = {}): StoreRuntime {
  const mutators = new Map(Object.entries(def.mutatorDefs as Record<string, RuntimeMutator>));
  for (const [name, o] of Object.entries(overrides[def.name] ?? {})) {
    const args = o.args ?? mutators.get(name)?.args;
    if (args === undefined) {
      throw new Error(`Override of unknown mutator ${def.name}.${name} needs its own args schema`);
    }
    mutators.set(name, { args, run: o.run });
  }
  const actions = new Map(Object.entries(def.actionDefs as Record<string, RuntimeAction>));
  return {
    name: def.name,
    version: def.version,
    minSupportedVersion: def.minSupportedVersion,
    upgrades: def.upgrades,
    patterns: def.patterns,
    // Own properties only: a mutator named "constructor" or "toString" must not resolve.
    mutator: (name) => mutators.get(name),
    action: (name) => actions.get(name),
  };
}
