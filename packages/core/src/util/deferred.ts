/** A promise with its settle functions, for results that arrive later (a mutation's `confirmed`). */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/**
 * Makes a deferred. Its promise is marked handled, so a rejection nobody awaits (a `confirmed`
 * the app ignored) is not reported as unhandled; awaiting it still throws.
 */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
