/** Something that reports the device going back online (the browser's `window`, or a test double). */
export interface OnlineSignal {
  addEventListener(type: "online", listener: () => void): void;
  removeEventListener(type: "online", listener: () => void): void;
}

/**
 * The browser's `online` events, when this runtime has them (undefined in Node). This adapter is
 * the one place the sync layer looks for them on `globalThis`.
 */
export function browserOnlineSignal(): OnlineSignal | undefined {
  const g = globalThis as { addEventListener?: unknown; removeEventListener?: unknown; navigator?: unknown };
  if (typeof g.addEventListener !== "function" || typeof g.removeEventListener !== "function")
    return undefined;
  if (g.navigator === undefined) return undefined;
  return globalThis;
}

/** Calls `onOnline` whenever `signal` reports the device back online; returns an unsubscribe. */
export function onOnline(signal: OnlineSignal | undefined, onOnline: () => void): () => void {
  if (signal === undefined) return () => undefined;
  const listener = () => onOnline();
  signal.addEventListener("online", listener);
  return () => signal.removeEventListener("online", listener);
}
