import { SyncedStoreError, type SyncedStoreErrorCode } from "@synced-store/core";

/**
 * Resolves or rejects like `promise`, or rejects with a `SyncedStoreError` of `code` after `ms`
 * milliseconds. The promise itself keeps running; callers make sure its late effects are ignored.
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
  code: SyncedStoreErrorCode,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SyncedStoreError(code, `${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
