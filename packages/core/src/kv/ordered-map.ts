/**
 * An ordered string-keyed map: a `Map` for O(1) point reads plus a sorted index of keys held in
 * bounded chunks (a two-level B+tree), so inserts and deletes cost O(log n + chunk size) and
 * range scans start from any key without copying or sorting the whole map.
 *
 * Heap per entry is the `Map` entry plus one pointer in a chunk; keys are shared, not copied.
 */
export class OrderedMap<V> {
  /** Chunks are split past this size; small enough that splicing stays a short memmove. */
  static readonly MAX_CHUNK = 512;

  #map = new Map<string, V>();
  /** Non-empty sorted chunks whose concatenation is every key in order. */
  #chunks: string[][] = [];

  /** Builds a map from entries in any order, sorting once. */
  static from<V>(entries: Iterable<readonly [string, V]>): OrderedMap<V> {
    const m = new OrderedMap<V>();
    for (const [k, v] of entries) m.#map.set(k, v);
    const keys = [...m.#map.keys()].sort(compareKeys);
    const half = OrderedMap.MAX_CHUNK / 2;
    for (let i = 0; i < keys.length; i += half) m.#chunks.push(keys.slice(i, i + half));
    return m;
  }

  /** A copy, made without re-sorting or re-inserting key by key. */
  clone(): OrderedMap<V> {
    const m = new OrderedMap<V>();
    m.#map = new Map(this.#map);
    m.#chunks = this.#chunks.map((chunk) => chunk.slice());
    return m;
  }

  /** Number of entries. */
  get size(): number {
    return this.#map.size;
  }

  /** The value at `key`, O(1). */
  get(key: string): V | undefined {
    return this.#map.get(key);
  }

  /** Whether `key` is present, O(1). */
  has(key: string): boolean {
    return this.#map.has(key);
  }

  /** Sets `key`; a new key costs O(log n + chunk size) to place in order. */
  set(key: string, value: V): void {
    // One hash lookup, not two: the size tells whether the key was new.
    const size = this.#map.size;
    this.#map.set(key, value);
    if (this.#map.size !== size) this.#insertKey(key);
  }

  /** Removes `key`; returns whether it was present. */
  delete(key: string): boolean {
    if (!this.#map.delete(key)) return false;
    const ci = this.#chunkFor(key);
    const chunk = this.#chunks[ci]!;
    chunk.splice(lowerBound(chunk, key), 1);
    if (chunk.length === 0) this.#chunks.splice(ci, 1);
    return true;
  }

  /** Removes every entry. */
  clear(): void {
    this.#map.clear();
    this.#chunks = [];
  }

  /** Unordered iteration over entries (cheapest way to visit everything). */
  entries(): IterableIterator<[string, V]> {
    return this.#map.entries();
  }

  /** Same as `entries()`, so the map can stand where a `Map` is iterated. */
  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.#map.entries();
  }

  /** Unordered iteration over keys. */
  keys(): IterableIterator<string> {
    return this.#map.keys();
  }

  /**
   * Calls `visit` for each entry with key `>= start` that starts with `prefix`, in key order,
   * until it returns false. The tight loop behind scans.
   */
  forEachFrom(start: string, prefix: string, visit: (key: string, value: V) => boolean): void {
    const chunks = this.#chunks;
    const map = this.#map;
    let ci = this.#chunkFor(start);
    const first = chunks[ci];
    let i = first ? lowerBound(first, start) : 0;
    for (; ci < chunks.length; ci++, i = 0) {
      const chunk = chunks[ci]!;
      for (; i < chunk.length; i++) {
        const key = chunk[i]!;
        if (!key.startsWith(prefix)) return;
        if (!visit(key, map.get(key) as V)) return;
      }
    }
  }

  /** A cursor positioned at the first key `>= start`. */
  cursor(start: string): OrderedMapCursor<V> {
    const ci = this.#chunkFor(start);
    const chunk = this.#chunks[ci];
    const i = chunk ? lowerBound(chunk, start) : 0;
    return new OrderedMapCursor(this.#chunks, this.#map, ci, i);
  }

  #insertKey(key: string): void {
    const chunks = this.#chunks;
    if (chunks.length === 0) {
      chunks.push([key]);
      return;
    }
    const last = chunks[chunks.length - 1]!;
    if (key > last[last.length - 1]!) {
      // Keys often arrive in order (ids, patches, bulk writes): append without searching, and
      // start a new chunk when the last is full so appended chunks stay full.
      if (last.length < OrderedMap.MAX_CHUNK) last.push(key);
      else chunks.push([key]);
      return;
    }
    const ci = this.#chunkFor(key);
    const chunk = chunks[ci]!;
    chunk.splice(lowerBound(chunk, key), 0, key);
    if (chunk.length > OrderedMap.MAX_CHUNK) {
      chunks.splice(ci + 1, 0, chunk.splice(chunk.length >> 1));
    }
  }

  /** Index of the last chunk whose first key is `<= key` (0 when none). */
  #chunkFor(key: string): number {
    const chunks = this.#chunks;
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (chunks[mid]![0]! <= key) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/**
 * Walks an `OrderedMap` in key order. Valid until the map is next modified: callers read a
 * range synchronously and drop the cursor.
 */
export class OrderedMapCursor<V> {
  constructor(
    private readonly chunks: readonly string[][],
    private readonly map: ReadonlyMap<string, V>,
    private ci: number,
    private i: number,
  ) {}

  /** The key under the cursor, or undefined past the end. */
  peek(): string | undefined {
    let chunk = this.chunks[this.ci];
    while (chunk !== undefined && this.i >= chunk.length) {
      this.ci++;
      this.i = 0;
      chunk = this.chunks[this.ci];
    }
    return chunk?.[this.i];
  }

  /** Moves past the current key. */
  advance(): void {
    this.i++;
  }

  /** The value of a key returned by `peek`. */
  value(key: string): V {
    return this.map.get(key) as V;
  }
}

/** Code-unit order, the order scans use everywhere (client, server, wire). */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lowerBound(arr: readonly string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
