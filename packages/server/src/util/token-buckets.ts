/** Options of `TokenBuckets`. */
export interface TokenBucketsOptions {
  /** Tokens each bucket refills per second; a bucket holds at most this many (the burst). */
  readonly perSecond: number;
  /** Most buckets kept; past it the least recently used is forgotten. */
  readonly maxBuckets: number;
  /** Most bytes of keys and bookkeeping kept; past it the least recently used is forgotten. */
  readonly maxBytes: number;
  /** Milliseconds clock. @default `performance.now` */
  readonly now?: () => number;
}

/** Bytes a bucket costs beside its key: the map entry and the bucket's two numbers. */
const BUCKET_OVERHEAD_BYTES = 64;

interface Bucket {
  tokens: number;
  last: number;
  readonly bytes: number;
}

/**
 * Token buckets keyed by outside input (user ids, client ids), one per key, kept in a least
 * recently used order bounded in count and in bytes: a flood of distinct keys forgets the oldest
 * buckets instead of growing. A forgotten bucket comes back full, so the bound trades memory for
 * a fresh burst to keys unused for the longest; a key in use stays near the front.
 */
export class TokenBuckets {
  // A Map iterates in insertion order: deleting and setting a key on use keeps it LRU-ordered.
  readonly #buckets = new Map<string, Bucket>();
  #bytes = 0;
  readonly #now: () => number;

  constructor(private readonly options: TokenBucketsOptions) {
    this.#now = options.now ?? (() => performance.now());
  }

  /** Takes one token from `key`'s bucket: 0 when taken, else the milliseconds until one refills. */
  take(key: string): number {
    const now = this.#now();
    const { perSecond } = this.options;
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: perSecond, last: now, bytes: key.length * 2 + BUCKET_OVERHEAD_BYTES };
      this.#bytes += bucket.bytes;
    } else {
      this.#buckets.delete(key);
      bucket.tokens = Math.min(perSecond, bucket.tokens + ((now - bucket.last) / 1000) * perSecond);
      bucket.last = now;
    }
    this.#buckets.set(key, bucket);
    this.#evict();
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / perSecond) * 1000);
  }

  /** Buckets kept. */
  get size(): number {
    return this.#buckets.size;
  }

  /** Bytes the kept buckets are counted at. */
  get bytes(): number {
    return this.#bytes;
  }

  #evict(): void {
    const { maxBuckets, maxBytes } = this.options;
    // The newest bucket stays even alone over `maxBytes`: callers bound key length.
    while (this.#buckets.size > 1 && (this.#buckets.size > maxBuckets || this.#bytes > maxBytes)) {
      const [oldest, bucket] = this.#buckets.entries().next().value as [string, Bucket];
      this.#buckets.delete(oldest);
      this.#bytes -= bucket.bytes;
    }
  }
}
