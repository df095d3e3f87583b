import { SyncedStoreError, type SyncedStoreErrorCode } from "@synced-store/core";

/**
 * Bounds how long each of a series of promises may run, with one timer for the whole series
 * instead of one per promise (a batch runs hundreds of mutators; most settle at once). Call
 * `dispose` when the series ends.
 */
export class Watchdog {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #current: { deadline: number; fail: () => void } | undefined;

  constructor(
    private readonly ms: number,
    private readonly code: SyncedStoreErrorCode,
  ) {}

  /** Settles like `promise`, or rejects (`code`, "`what` within … ms") once it ran too long. */
  watch<T>(promise: Promise<T>, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const current = {
        deadline: performance.now() + this.ms,
        fail: () => reject(new SyncedStoreError(this.code, `${what} within ${this.ms} ms`)),
      };
      this.#current = current;
      this.#timer ??= setTimeout(() => this.#check(), this.ms);
      const done = () => {
        if (this.#current === current) this.#current = undefined;
      };
      promise.then(
        (value) => {
          done();
          resolve(value);
        },
        (error: unknown) => {
          done();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /** Stops the timer. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#current = undefined;
  }

  #check(): void {
    this.#timer = undefined;
    const current = this.#current;
    if (current === undefined) return;
    const left = current.deadline - performance.now();
    if (left <= 0) {
      this.#current = undefined;
      current.fail();
    } else this.#timer = setTimeout(() => this.#check(), left);
  }
}
