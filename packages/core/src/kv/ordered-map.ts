/**
 * An ordered string-keyed map: a sorted index of keys held in bounded chunks (a two-level
 * B+tree), so inserts and deletes cost O(log n + chunk size) and range scans start from any key
 * without copying or sorting the whole map.
 *
 * Values sit beside their keys in chunks of their own until the map is first read by key while it
 * holds `INDEX_MIN` entries or more; from then on a hash index (a `Map`) holds the values and point
 * reads are O(1). So a map that is only written and scanned (a mutation writing 10,000 keys, a
 * snapshot being loaded) never pays for hashing, while one read by key (the base, a mutator's
 * reads) gets the index once.
 */
export class OrderedMap<V> {
  /** Chunks are split past this size; small enough that splicing stays a short memmove. */
  static readonly MAX_CHUNK = 512;
  /** From this size, the first point read builds the hash index (below it a binary search is as fast). */
  static readonly INDEX_MIN = 64;

  /** Non-empty sorted chunks whose concatenation is every key in order. */
  #chunks: string[][] = [];
  /** Without an index: `#values[c][i]` is the value of `#chunks[c][i]`. */
  #values: V[][] | undefined = [];
  /** With an index: every entry; `#values` is then undefined. */
  #index: Map<string, V> | undefined;
  #size = 0;

  /** Builds a map from entries in any order, sorting once. */
  static from<V>(entries: Iterable<readonly [string, V]>): OrderedMap<V> {
    const index = new Map<string, V>();
    for (const [k, v] of entries) index.set(k, v);
    const m = new OrderedMap<V>();
    const keys = [...index.keys()].sort(compareKeys);
    const half = OrderedMap.MAX_CHUNK / 2;
    for (let i = 0; i < keys.length; i += half) m.#chunks.push(keys.slice(i, i + half));
    m.#index = index;
    m.#values = undefined;
    m.#size = index.size;
    return m;
  }

  /** A copy, made without re-sorting or re-inserting key by key. */
  clone(): OrderedMap<V> {
    const m = new OrderedMap<V>();
    m.#chunks = this.#chunks.map((chunk) => chunk.slice());
    m.#values = this.#values?.map((values) => values.slice());
    m.#index = this.#index && new Map(this.#index);
    m.#size = this.#size;
    return m;
  }

  /** Number of entries. */
  get size(): number {
    return this.#size;
  }

  /** The value at `key`: O(1) once indexed, a binary search before. */
  get(key: string): V | undefined {
    const index = this.#index ?? this.#indexIfLarge();
    if (index !== undefined) return index.get(key);
    const ci = this.#chunkFor(key);
    const chunk = this.#chunks[ci];
    if (chunk === undefined) return undefined;
    const i = lowerBound(chunk, key);
    return chunk[i] === key ? this.#values![ci]![i] : undefined;
  }

  /** Whether `key` is present. */
  has(key: string): boolean {
    const index = this.#index ?? this.#indexIfLarge();
    if (index !== undefined) return index.has(key);
    const chunk = this.#chunks[this.#chunkFor(key)];
    return chunk !== undefined && chunk[lowerBound(chunk, key)] === key;
  }

  /** Sets `key`; a new key costs O(log n + chunk size) to place in order, a key past the last O(1). */
  set(key: string, value: V): void {
    const index = this.#index;
    if (index !== undefined) {
      // One hash lookup, not two: the size tells whether the key was new.
      const size = index.size;
      index.set(key, value);
      if (index.size !== size) this.#insert(key, value);
      return;
    }
    const chunks = this.#chunks;
    const last = chunks[chunks.length - 1];
    if (last === undefined || key > last[last.length - 1]!) {
      this.#insert(key, value);
      return;
    }
    const ci = this.#chunkFor(key);
    const chunk = chunks[ci]!;
    const i = lowerBound(chunk, key);
    if (chunk[i] === key) this.#values![ci]![i] = value;
    else this.#insert(key, value, ci, i);
  }

  /** Removes `key`; returns whether it was present. */
  delete(key: string): boolean {
    if (this.#index !== undefined && !this.#index.delete(key)) return false;
    const ci = this.#chunkFor(key);
    const chunk = this.#chunks[ci];
    if (chunk === undefined) return false;
    const i = lowerBound(chunk, key);
    if (chunk[i] !== key) return false;
    chunk.splice(i, 1);
    this.#values?.[ci]!.splice(i, 1);
    if (chunk.length === 0) {
      this.#chunks.splice(ci, 1);
      this.#values?.splice(ci, 1);
    }
    this.#size--;
    return true;
  }

  /** Removes every entry. */
  clear(): void {
    this.#chunks = [];
    this.#values = [];
    this.#index = undefined;
    this.#size = 0;
  }

  /** Every entry; in key order until the map is indexed, then in insertion order. */
  entries(): IterableIterator<[string, V]> {
    return this.#index?.entries() ?? this.#ordered((key, value): [string, V] => [key, value]);
  }

  /** Same as `entries()`, so the map can stand where a `Map` is iterated. */
  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }

  /** Calls `visit` for every entry, in the order of `entries()`, without an iterator or a tuple per entry. */
  forEach(visit: (value: V, key: string) => void): void {
    if (this.#index !== undefined) {
      this.#index.forEach(visit);
      return;
    }
    const chunks = this.#chunks;
    for (let ci = 0; ci < chunks.length; ci++) {
      const chunk = chunks[ci]!;
      const values = this.#values![ci]!;
      for (let i = 0; i < chunk.length; i++) visit(values[i]!, chunk[i]!);
    }
  }

  /** Every key, in the order of `entries()`. */
  keys(): IterableIterator<string> {
    return this.#index?.keys() ?? this.#ordered((key) => key);
  }

  /**
   * Calls `visit` for each entry with key `>= start` that starts with `prefix`, in key order,
   * until it returns false. The tight loop behind scans.
   */
  forEachFrom(start: string, prefix: string, visit: (key: string, value: V) => boolean): void {
    const chunks = this.#chunks;
    const index = this.#index;
    let ci = this.#chunkFor(start);
    const first = chunks[ci];
    let i = first ? lowerBound(first, start) : 0;
    for (; ci < chunks.length; ci++, i = 0) {
      const chunk = chunks[ci]!;
      const values = this.#values?.[ci];
      for (; i < chunk.length; i++) {
        const key = chunk[i]!;
        if (!key.startsWith(prefix)) return;
        if (!visit(key, values !== undefined ? values[i]! : (index!.get(key) as V))) return;
      }
    }
  }

  /** A cursor positioned at the first key `>= start`. */
  cursor(start: string): OrderedMapCursor<V> {
    const ci = this.#chunkFor(start);
    const chunk = this.#chunks[ci];
    const i = chunk ? lowerBound(chunk, start) : 0;
    return new OrderedMapCursor(this.#chunks, this.#values, this.#index, ci, i);
  }

  *#ordered<T>(make: (key: string, value: V) => T): Generator<T, undefined> {
    const chunks = this.#chunks;
    for (let ci = 0; ci < chunks.length; ci++) {
      const chunk = chunks[ci]!;
      const values = this.#values![ci]!;
      for (let i = 0; i < chunk.length; i++) yield make(chunk[i]!, values[i]!);
    }
    return undefined;
  }

  #indexIfLarge(): Map<string, V> | undefined {
    if (this.#size < OrderedMap.INDEX_MIN) return undefined;
    const index = new Map<string, V>();
    const chunks = this.#chunks;
    for (let ci = 0; ci < chunks.length; ci++) {
      const chunk = chunks[ci]!;
      const values = this.#values![ci]!;
      for (let i = 0; i < chunk.length; i++) index.set(chunk[i]!, values[i]!);
    }
    this.#index = index;
    this.#values = undefined;
    return index;
  }

  /** Places a new key (at chunk `ci`, position `i` when known: else after the last key or searched). */
  #insert(key: string, value: V, ci?: number, i?: number): void {
    const chunks = this.#chunks;
    const values = this.#values;
    this.#size++;
    const last = chunks[chunks.length - 1];
    if (ci === undefined && (last === undefined || key > last[last.length - 1]!)) {
      // Keys often arrive in order (ids, patches, bulk writes): append without searching, and
      // start a new chunk when the last is full so appended chunks stay full.
      if (last !== undefined && last.length < OrderedMap.MAX_CHUNK) {
        last.push(key);
        values?.[values.length - 1]!.push(value);
      } else {
        chunks.push([key]);
        values?.push([value]);
      }
      return;
    }
    ci ??= this.#chunkFor(key);
    const chunk = chunks[ci]!;
    i ??= lowerBound(chunk, key);
    chunk.splice(i, 0, key);
    values?.[ci]!.splice(i, 0, value);
    if (chunk.length > OrderedMap.MAX_CHUNK) {
      const half = chunk.length >> 1;
      chunks.splice(ci + 1, 0, chunk.splice(half));
      values?.splice(ci + 1, 0, values[ci]!.splice(half));
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
    private readonly values: readonly V[][] | undefined,
    private readonly index: ReadonlyMap<string, V> | undefined,
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

  /** The value of the key `peek` just returned. */
  value(key: string): V {
    return this.values !== undefined ? this.values[this.ci]![this.i]! : (this.index!.get(key) as V);
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
