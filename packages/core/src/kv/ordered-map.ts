/**
 * An ordered string-keyed map: keys in sorted chunks of bounded size with their values beside
 * them (a two-level B+tree), so inserts and deletes cost O(log n + chunk size), a key past the
 * last one is appended in O(1), and range scans start from any key and read values in place.
 *
 * Point reads binary-search the chunks until a map of `INDEX_MIN` entries or more has been read by
 * key more than twice its size; then a hash index (a `Map`) is built and kept, and point reads
 * are O(1). Building it costs about as much as that many searches, so the map never pays more than
 * about twice the cheaper way: a map only written and scanned (a mutation writing 10,000 keys, a
 * snapshot being loaded) or read once per key (comparing a mutation's writes with what they
 * replace) never hashes. A map known to be read by key all its life (a store's base) is made
 * with `{ indexed: true }` and keeps its index from the start.
 */
export class OrderedMap<V> {
  /** Chunks are split past this size; small enough that splicing stays a short memmove. */
  static readonly MAX_CHUNK = 512;
  /** Smaller maps are never indexed: a binary search of a few keys is as fast as a hash. */
  static readonly INDEX_MIN = 64;

  /** Non-empty sorted chunks whose concatenation is every key in order. */
  #chunks: string[][] = [];
  /** `#values[c][i]` is the value of `#chunks[c][i]`. */
  #values: V[][] = [];
  /** Every entry again, once the map has been read by key (see `INDEX_MIN`). */
  #index: Map<string, V> | undefined;
  #size = 0;
  /** Point reads answered by a binary search so far. */
  #searches = 0;
  readonly #indexed: boolean;

  /** `indexed`: keep the hash index from the start instead of building it once reads call for it. */
  constructor(options?: { readonly indexed?: boolean }) {
    this.#indexed = options?.indexed === true;
    if (this.#indexed) this.#index = new Map();
  }

  /** Builds an indexed map from entries in any order, sorting once. */
  static from<V>(entries: Iterable<readonly [string, V]>): OrderedMap<V> {
    const index = new Map<string, V>();
    for (const [k, v] of entries) index.set(k, v);
    const m = new OrderedMap<V>({ indexed: true });
    const keys = [...index.keys()].sort(compareKeys);
    const half = OrderedMap.MAX_CHUNK / 2;
    for (let i = 0; i < keys.length; i += half) {
      const chunk = keys.slice(i, i + half);
      m.#chunks.push(chunk);
      m.#values.push(chunk.map((k) => index.get(k) as V));
    }
    m.#index = index;
    m.#size = index.size;
    return m;
  }

  /** A copy, made without re-sorting or re-inserting key by key. */
  clone(): OrderedMap<V> {
    const m = new OrderedMap<V>({ indexed: this.#indexed });
    m.#chunks = this.#chunks.map((chunk) => chunk.slice());
    m.#values = this.#values.map((values) => values.slice());
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
    return chunk[i] === key ? this.#values[ci]![i] : undefined;
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
    this.#index?.set(key, value);
    const chunks = this.#chunks;
    const n = chunks.length;
    const last = chunks[n - 1];
    if (last === undefined || key > last[last.length - 1]!) {
      // Keys often arrive in order (ids, patches, bulk writes): append without searching, and
      // start a new chunk when the last is full so appended chunks stay full.
      this.#size++;
      if (last !== undefined && last.length < OrderedMap.MAX_CHUNK) {
        last.push(key);
        this.#values[n - 1]!.push(value);
      } else {
        chunks.push([key]);
        this.#values.push([value]);
      }
      return;
    }
    const ci = this.#chunkFor(key);
    const chunk = chunks[ci]!;
    const values = this.#values[ci]!;
    const i = lowerBound(chunk, key);
    if (chunk[i] === key) {
      values[i] = value;
      return;
    }
    this.#size++;
    chunk.splice(i, 0, key);
    values.splice(i, 0, value);
    if (chunk.length > OrderedMap.MAX_CHUNK) {
      const half = chunk.length >> 1;
      chunks.splice(ci + 1, 0, chunk.splice(half));
      this.#values.splice(ci + 1, 0, values.splice(half));
    }
  }

  /** Removes `key`; returns whether it was present. */
  delete(key: string): boolean {
    const ci = this.#chunkFor(key);
    const chunk = this.#chunks[ci];
    if (chunk === undefined) return false;
    const i = lowerBound(chunk, key);
    if (chunk[i] !== key) return false;
    this.#index?.delete(key);
    this.#size--;
    chunk.splice(i, 1);
    this.#values[ci]!.splice(i, 1);
    if (chunk.length === 0) {
      this.#chunks.splice(ci, 1);
      this.#values.splice(ci, 1);
    }
    return true;
  }

  /** Removes every entry. */
  clear(): void {
    this.#chunks = [];
    this.#values = [];
    this.#index = this.#indexed ? new Map() : undefined;
    this.#size = 0;
    this.#searches = 0;
  }

  /** Every entry in key order. */
  *entries(): Generator<[string, V], undefined> {
    const chunks = this.#chunks;
    for (let ci = 0; ci < chunks.length; ci++) {
      const chunk = chunks[ci]!;
      const values = this.#values[ci]!;
      for (let i = 0; i < chunk.length; i++) yield [chunk[i]!, values[i]!];
    }
    return undefined;
  }

  /** Same as `entries()`, so the map can stand where a `Map` is iterated. */
  [Symbol.iterator](): Generator<[string, V], undefined> {
    return this.entries();
  }

  /** Every key in order. */
  *keys(): Generator<string, undefined> {
    for (const chunk of this.#chunks) yield* chunk;
    return undefined;
  }

  /** Calls `visit` for every entry in key order, without an iterator or a tuple per entry. */
  forEach(visit: (value: V, key: string) => void): void {
    const chunks = this.#chunks;
    for (let ci = 0; ci < chunks.length; ci++) {
      const chunk = chunks[ci]!;
      const values = this.#values[ci]!;
      for (let i = 0; i < chunk.length; i++) visit(values[i]!, chunk[i]!);
    }
  }

  /**
   * Calls `visit` for each entry with key `>= start` that starts with `prefix`, in key order,
   * until it returns false. The tight loop behind scans.
   */
  forEachFrom(start: string, prefix: string, visit: (key: string, value: V) => boolean): void {
    const chunks = this.#chunks;
    let ci = this.#chunkFor(start);
    const first = chunks[ci];
    let i = first ? lowerBound(first, start) : 0;
    for (; ci < chunks.length; ci++, i = 0) {
      const chunk = chunks[ci]!;
      const values = this.#values[ci]!;
      for (; i < chunk.length; i++) {
        const key = chunk[i]!;
        if (!key.startsWith(prefix)) return;
        if (!visit(key, values[i]!)) return;
      }
    }
  }

  /** A cursor positioned at the first key `>= start`. */
  cursor(start: string): OrderedMapCursor<V> {
    const ci = this.#chunkFor(start);
    const chunk = this.#chunks[ci];
    const i = chunk ? lowerBound(chunk, start) : 0;
    return new OrderedMapCursor(this.#chunks, this.#values, ci, i);
  }

  #indexIfLarge(): Map<string, V> | undefined {
    if (++this.#searches <= 2 * this.#size || this.#size < OrderedMap.INDEX_MIN) return undefined;
    const index = new Map<string, V>();
    this.forEach((value, key) => index.set(key, value));
    this.#index = index;
    return index;
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
    private readonly values: readonly V[][],
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
  value(): V {
    return this.values[this.ci]![this.i]!;
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
