import type { Limits } from "../engine/limits.js";
import type { ServerMetrics } from "../metrics/server-metrics.js";
import { TokenBuckets } from "../util/token-buckets.js";

/** What an HTTP request was over the rate of. */
export type RateScope = "user" | "client";

/** Longest client id the server admits; a longer one shares the bucket of its first 200 characters. */
const MAX_CLIENT_ID = 200;

/**
 * The HTTP endpoints' rate limits across requests (the WebSocket one is per connection, which
 * an HTTP request is too short to have): one token bucket per client id, taken before the
 * request authenticates, and one per user, taken once it has. Users and client ids are kept in
 * separate bounded LRUs so that a flood of made-up client ids cannot push users' buckets out.
 */
export class HttpRateLimit {
  readonly #users: TokenBuckets | undefined;
  readonly #clients: TokenBuckets | undefined;

  constructor(
    limits: Limits,
    private readonly metrics: ServerMetrics,
    now?: () => number,
  ) {
    const buckets = (perSecond: number) =>
      perSecond > 0
        ? new TokenBuckets({
            perSecond,
            maxBuckets: limits.httpRateBuckets,
            maxBytes: limits.httpRateBucketBytes,
            ...(now === undefined ? {} : { now }),
          })
        : undefined;
    this.#users = buckets(limits.httpRequestsPerSecondPerUser);
    this.#clients = buckets(limits.httpRequestsPerSecondPerClient);
  }

  /** Counts a request of `clientId`: 0 when allowed, else milliseconds until it would be. */
  client(clientId: string): number {
    return this.#take("client", this.#clients, clientId.slice(0, MAX_CLIENT_ID));
  }

  /** Counts a request of `userId` (authenticated): 0 when allowed, else milliseconds until it would be. */
  user(userId: string): number {
    return this.#take("user", this.#users, userId);
  }

  #take(scope: RateScope, buckets: TokenBuckets | undefined, key: string): number {
    if (buckets === undefined) return 0;
    const wait = buckets.take(key);
    this.metrics.httpRateBuckets.set({ scope }, buckets.size);
    this.metrics.httpRateBucketBytes.set({ scope }, buckets.bytes);
    if (wait > 0) this.metrics.httpRateLimited.add({ scope });
    return wait;
  }
}
