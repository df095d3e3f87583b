import { deepEqual } from "../util/deep-equal.js";
import { OrderedMap } from "../kv/ordered-map.js";
import { DELETED, type Layer } from "./layered-view.js";

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

/**
 * The changes of one mutation, read off its writes: old values are kept only for keys that held
 * one, and each `KeyChange` is made when it is read, so a mutation writing 10,000 new keys costs
 * one pass and no allocation per key when nobody watches them. `writes` must not change
 * afterwards (a pending mutation's layer never does).
 */
export class WriteChanges implements ReadonlyMap<string, KeyChange> {
  readonly size: number;
  readonly #writes: Layer;
  /** Old visible values that were not `undefined` (added in key order, so each is an append). */
  readonly #old = new OrderedMap<unknown>();
  /** Written keys whose visible value stays the same (a delete of an absent key). */
  #same: Set<string> | undefined;

  /** `oldValue` gives a key's visible value before the mutation. */
  constructor(writes: Layer, oldValue: (key: string) => unknown) {
    this.#writes = writes;
    let size = 0;
    writes.forEach((value, key) => {
      const old = oldValue(key);
      if (old === visible(value)) {
        (this.#same ??= new Set()).add(key);
        return;
      }
      size++;
      if (old !== undefined) this.#old.set(key, old);
    });
    this.size = size;
  }

  has(key: string): boolean {
    return this.#writes.has(key) && this.#same?.has(key) !== true;
  }

  get(key: string): KeyChange | undefined {
    if (!this.has(key)) return undefined;
    return { oldValue: this.#old.get(key), newValue: visible(this.#writes.get(key)) };
  }

  *keys(): MapIterator<string> {
    for (const key of this.#writes.keys()) if (this.#same?.has(key) !== true) yield key;
    return undefined;
  }

  *entries(): MapIterator<[string, KeyChange]> {
    for (const key of this.keys()) yield [key, this.get(key)!];
    return undefined;
  }

  *values(): MapIterator<KeyChange> {
    for (const key of this.keys()) yield this.get(key)!;
    return undefined;
  }

  [Symbol.iterator](): MapIterator<[string, KeyChange]> {
    return this.entries();
  }

  forEach(visit: (change: KeyChange, key: string, map: ReadonlyMap<string, KeyChange>) => void): void {
    for (const [key, change] of this.entries()) visit(change, key, this);
  }
}

/** A layer value as reads see it. */
function visible(value: unknown): unknown {
  return value === DELETED ? undefined : value;
}
