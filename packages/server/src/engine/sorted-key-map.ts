/**
 * A string-keyed map that also keeps its keys sorted, so scans start at any key without sorting.
 * Inserting a new key costs a binary search and an array splice (a memmove): cheap up to a few
 * hundred thousand keys per space, which is what one space's cached state holds.
 */
export class SortedKeyMap<V> {
  readonly #map = new Map<string, V>();
  #keys: string[] = [];

  get size(): number {
    return this.#map.size;
  }

  get(key: string): V | undefined {
    return this.#map.get(key);
  }

  has(key: string): boolean {
    return this.#map.has(key);
  }

  set(key: string, value: V): void {
    if (!this.#map.has(key)) this.#keys.splice(lowerBound(this.#keys, key), 0, key);
    this.#map.set(key, value);
  }

  delete(key: string): boolean {
    if (!this.#map.delete(key)) return false;
    this.#keys.splice(lowerBound(this.#keys, key), 1);
    return true;
  }

  clear(): void {
    this.#map.clear();
    this.#keys = [];
  }

  /** Keys `>= from` in order, while they start with `prefix`. */
  *keysFrom(from: string, prefix = ""): Generator<string> {
    const keys = this.#keys;
    for (let i = lowerBound(keys, from); i < keys.length; i++) {
      const key = keys[i]!;
      if (!key.startsWith(prefix)) return;
      yield key;
    }
  }

  /** Entries in key order. */
  *entries(): Generator<[string, V]> {
    for (const key of this.#keys) yield [key, this.#map.get(key)!];
  }
}

/** Index of the first element `>= key` in sorted `keys`. */
export function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
