/** Options of the reconnect backoff. */
export interface BackoffOptions {
  /** Delay before the first retry, before jitter. @default 250 */
  readonly initialDelayMs?: number;
  /** Upper bound of the delay, before jitter. @default 30_000 */
  readonly maxDelayMs?: number;
  /** Growth factor per consecutive failure. @default 2 */
  readonly factor?: number;
}

/**
 * The delay before reconnect attempt number `attempt` (0 for the first retry): exponential growth
 * capped at `maxDelayMs`, with "equal jitter" — half the delay fixed, half random — so that
 * clients dropped together by a server restart do not all come back in the same millisecond, yet
 * none retries sooner than half its nominal delay.
 */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = {}): number {
  const { initialDelayMs = 250, maxDelayMs = 30_000, factor = 2 } = options;
  const nominal = Math.min(maxDelayMs, initialDelayMs * factor ** Math.max(0, attempt));
  return nominal / 2 + random() * (nominal / 2);
}
