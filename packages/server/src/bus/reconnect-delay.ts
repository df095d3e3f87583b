/** Bounds of the delay before a bus retries a lost connection. */
export interface ReconnectDelay {
  /** First retry delay in ms. @default 50 */
  readonly minMs?: number;
  /** Largest retry delay in ms. @default 2000 */
  readonly maxMs?: number;
}

/**
 * The delay before retry `attempt` (0-based): doubling from `minMs` up to `maxMs`, with up to
 * half of it as random jitter so processes that lost the database together do not return in step.
 */
export function reconnectDelayMs(attempt: number, delay: ReconnectDelay = {}, random = Math.random): number {
  const min = delay.minMs ?? 50;
  const max = delay.maxMs ?? 2000;
  const base = Math.min(max, min * 2 ** Math.min(attempt, 30));
  return Math.round(base / 2 + (random() * base) / 2);
}
