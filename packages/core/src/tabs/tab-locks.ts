/** Gives back a lock. Calling it again does nothing. */
export type ReleaseLock = () => void;

/**
 * Named exclusive locks shared by the tabs of one browser and released when a tab dies (the Web
 * Locks API). A tab holds the lock of its client id while it lives, so a free lock means a client
 * whose tab is gone.
 */
export interface TabLocks {
  /** Takes `name` if it is free; resolves with its release, or null when another holder has it. */
  tryAcquire(name: string): Promise<ReleaseLock | null>;
  /** Waits until `name` is free and takes it. Rejects with the signal's reason if aborted first. */
  acquire(name: string, signal?: AbortSignal): Promise<ReleaseLock>;
}

/**
 * Locks within one JavaScript realm: for tests (several stores in one process standing for tabs)
 * and for runtimes without Web Locks, where there is only one tab anyway.
 */
export function memoryTabLocks(): TabLocks {
  const held = new Set<string>();
  const waiters = new Map<string, Array<() => void>>();

  const take = (name: string): ReleaseLock => {
    held.add(name);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      held.delete(name);
      const next = waiters.get(name)?.shift();
      if (next) next();
    };
  };

  return {
    tryAcquire: (name) => Promise.resolve(held.has(name) ? null : take(name)),
    acquire(name, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason as Error);
      if (!held.has(name)) return Promise.resolve(take(name));
      return new Promise<ReleaseLock>((resolve, reject) => {
        const wake = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(take(name));
        };
        const onAbort = () => {
          const queue = waiters.get(name) ?? [];
          const at = queue.indexOf(wake);
          if (at >= 0) queue.splice(at, 1);
          reject(signal?.reason as Error);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        waiters.set(name, [...(waiters.get(name) ?? []), wake]);
      });
    },
  };
}
