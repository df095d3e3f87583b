/** Something that reports the device going offline and back online (the browser's `window`, or a test double). */
export interface OnlineSignal {
  addEventListener(type: "online" | "offline", listener: () => void): void;
  removeEventListener(type: "online" | "offline", listener: () => void): void;
}

/**
 * The browser's `online` / `offline` events, when this runtime has them (undefined in Node). This
 * adapter is the one place the sync layer looks for them on `globalThis`.
 */
export function browserOnlineSignal(): OnlineSignal | undefined {
  const g = globalThis as { addEventListener?: unknown; removeEventListener?: unknown; navigator?: unknown };
  if (typeof g.addEventListener !== "function" || typeof g.removeEventListener !== "function")
    return undefined;
  if (g.navigator === undefined) return undefined;
  return globalThis;
}

/** Calls the handlers whenever `signal` reports the device offline or back online; returns an unsubscribe. */
export function onNetworkChange(
  signal: OnlineSignal | undefined,
  handlers: { online: () => void; offline: () => void },
): () => void {
  if (signal === undefined) return () => undefined;
  const online = () => handlers.online();
  const offline = () => handlers.offline();
  signal.addEventListener("online", online);
  signal.addEventListener("offline", offline);
  return () => {
    signal.removeEventListener("online", online);
    signal.removeEventListener("offline", offline);
  };
}
