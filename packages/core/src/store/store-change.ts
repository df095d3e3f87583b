import { deepEqual } from "../util/deep-equal.js";

/** Old and new visible value of one key (`undefined` = absent). */
export interface KeyChange {
  readonly oldValue: unknown;
  readonly newValue: unknown;
}

/** What one mutation or server update changed in the visible state (base + pending). */
export interface StoreChange {
  /** Every key whose visible value changed, and only those. */
  readonly changes: ReadonlyMap<string, KeyChange>;
  /** The base was cleared by a `reset` patch (`changes` still lists every key that changed). */
  readonly reset: boolean;
}

/**
 * Compares old values of candidate keys with their current value and keeps real changes. Values
 * that are rebuilt but deep-equal (a replayed mutation writing the same thing) are not changes.
 */
export function collectChanges(
  before: ReadonlyMap<string, unknown>,
  current: (key: string) => unknown,
): Map<string, KeyChange> {
  const changes = new Map<string, KeyChange>();
  for (const [key, oldValue] of before) {
    const newValue = current(key);
    if (oldValue !== newValue && !deepEqual(oldValue, newValue)) changes.set(key, { oldValue, newValue });
  }
  return changes;
}
