/**
 * The clock, timers and randomness the sync layer uses, injectable so tests drive them with fake
 * timers and seeded randomness instead of waiting on the wall clock.
 */

/** An opaque timer handle. */
export type TimerHandle = object | number;

/** Timer, clock and random source of a sync client. */
export interface SyncTimers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Milliseconds since some fixed point; only differences are used. */
  now(): number;
  /** A number in [0, 1), for jitter. */
  random(): number;
}

/** The runtime's own timers, clock and `Math.random`, looked up at call time (fake timers work). */
export const systemTimers: SyncTimers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
  now: () => Date.now(),
  random: () => Math.random(),
};
