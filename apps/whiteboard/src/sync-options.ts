/**
 * How the whiteboard syncs: an interactive app notices a dead connection within seconds, retries
 * at least every 5 s, and pushes at most once per frame, so a drag's moves (coalesced while they
 * wait) reach the server at the frame rate, not at the pointer-event rate.
 */
export const SYNC_OPTIONS = {
  heartbeatIntervalMs: 4_000,
  heartbeatTimeoutMs: 3_000,
  backoff: { maxDelayMs: 5_000 },
  minPushIntervalMs: Math.ceil(1000 / 60),
} as const;
