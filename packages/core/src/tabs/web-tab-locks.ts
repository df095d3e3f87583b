import type { ReleaseLock, TabLocks } from "./tab-locks.js";

/** The part of the Web Locks API (`navigator.locks`) this adapter uses. */
export interface LockManagerLike {
  request(
    name: string,
    options: { ifAvailable?: boolean; signal?: AbortSignal },
    callback: (lock: unknown) => Promise<void>,
  ): Promise<unknown>;
}

/**
 * {@link TabLocks} over the Web Locks API, which the browser releases when a tab closes or
 * crashes. Returns undefined where there is no `navigator.locks`.
 */
export function webTabLocks(
  locks: LockManagerLike | undefined = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator
    ?.locks,
): TabLocks | undefined {
  if (locks === undefined) return undefined;
  // A Web Lock is held while its callback's promise is pending: hand out that promise's resolver.
  const request = (name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }) =>
    new Promise<ReleaseLock | null>((resolve, reject) => {
      locks
        .request(name, options, (lock) => {
          if (lock === null) {
            resolve(null);
            return Promise.resolve();
          }
          return new Promise<void>((release) => resolve(() => release()));
        })
        .catch(reject);
    });
  return {
    tryAcquire: (name) => request(name, { ifAvailable: true }),
    acquire: async (name, signal) => (await request(name, signal ? { signal } : {}))!,
  };
}
