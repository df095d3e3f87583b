/**
 * How a store definition changes from one version to the next. Each step is shared code: the
 * client runs it over its persisted base and queue when it opens under a newer definition, the
 * server runs it over mutations pushed by clients of older versions and, once per space, over
 * the stored data. See docs/EVOLUTION.md.
 */

/**
 * A value or arguments of the previous version: untyped here, each upgrade declares the shape it
 * expects (the previous version's schema is gone from the code).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Old = any;

/** One stored entry: a key and its JSON value. */
export type Entry = readonly [key: string, value: unknown];

/**
 * How the values of one key family (a pattern of the previous version, e.g. `todos/*`) become
 * those of the next version:
 * - a function: the new value at the same key (add a field with a default, rename a field);
 * - `{ up, down }`: the same, with `down` turning a new value back into what clients of the
 *   previous version read (the server sends them that; without `down` they get the new value);
 * - `{ entries }`: the new entries for one old entry, under any keys (rename or split a family;
 *   an empty list drops the entry).
 */
export type FamilyUpgrade =
  | ((value: Old, key: string) => unknown)
  | {
      readonly up: (value: Old, key: string) => unknown;
      readonly down?: (value: Old, key: string) => unknown;
    }
  | { readonly entries: (value: Old, key: string) => readonly Entry[] };

/**
 * How queued calls of one mutator of the previous version become calls of the next one:
 * `{ to, args }` renames it and/or upgrades its arguments; `{ retired }` says it is gone, with a
 * reason shown to the user whose queued call it rejects.
 */
export type MutatorUpgrade =
  { readonly to?: string; readonly args?: (args: Old) => unknown } | { readonly retired: string };

/** Server-side data migration of one space, in its own storage transaction. */
export interface MigrationTransaction {
  /** Every stored entry of the space under `prefix` (server-only and private keys included). */
  scan(prefix?: string): Promise<Entry[]>;
  get(key: string): Promise<unknown>;
  /** Writes `value` (checked against the new version's schema). */
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
}

/** The changes from the previous version to this one. */
export interface VersionUpgrade {
  /** Per key family of the previous version; families not listed keep their values. */
  readonly values?: Readonly<Record<string, FamilyUpgrade>>;
  /** Per mutator name of the previous version; mutators not listed keep name and arguments. */
  readonly mutators?: Readonly<Record<string, MutatorUpgrade>>;
  /**
   * A data migration beyond `values`, run on the server once per space after `values` were
   * applied to its stored data (e.g. fill a new key from others). @default none
   */
  readonly migrate?: (tx: MigrationTransaction, ctx: { readonly spaceId: string }) => Promise<void>;
  /**
   * Clients discard their persisted base instead of upgrading it, and pull a fresh snapshot (their
   * queued mutations are still upgraded and kept). For changes `values` cannot express.
   * @default false
   */
  readonly refetchBase?: boolean;
}

/** Upgrades by the version they lead to: `{ 2: …, 3: … }`. */
export type Upgrades = Readonly<Record<number, VersionUpgrade>>;

/** Name of the placeholder that keeps the id of a queued call of a retired mutator. */
export const RETIRED_MUTATION = "$$retired";

/** The steps from `from` (exclusive) to `to` (inclusive), in order; missing steps change nothing. */
export function upgradeSteps(upgrades: Upgrades, from: number, to: number): VersionUpgrade[] {
  const steps: VersionUpgrade[] = [];
  for (let v = from + 1; v <= to; v++) {
    const step = upgrades[v];
    if (step !== undefined) steps.push(step);
  }
  return steps;
}

/** Checks the shape of a definition's versions; throws with what is wrong. */
export function checkVersions(name: string, version: number, minSupported: number, upgrades: Upgrades): void {
  const fail = (why: string) => {
    throw new Error(`Store ${JSON.stringify(name)}: ${why}`);
  };
  if (!Number.isSafeInteger(version) || version < 1) fail(`version must be an integer >= 1, not ${version}`);
  if (!Number.isSafeInteger(minSupported) || minSupported < 1 || minSupported > version) {
    fail(`minSupportedVersion must be an integer from 1 to version (${version}), not ${minSupported}`);
  }
  for (const key of Object.keys(upgrades)) {
    const v = Number(key);
    if (!Number.isSafeInteger(v) || v < 2 || v > version) {
      fail(`upgrades are keyed by the version they lead to (2 to ${version}), not ${JSON.stringify(key)}`);
    }
    for (const [mutator, upgrade] of Object.entries(upgrades[v]?.mutators ?? {})) {
      if ("retired" in upgrade && typeof upgrade.retired !== "string") {
        fail(`upgrade ${v}: mutator ${mutator} is retired with a reason (a string)`);
      }
    }
  }
}
