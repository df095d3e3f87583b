import { connectToServer, createStore, type Store } from "@synced-store/core";
import { idbClientRegistry, idbPersistence } from "@synced-store/core/idb";
import { todo, type TodoDefinition } from "./shared/definition.js";
import { fetchToken } from "./sign-in.js";

/** The sync server's WebSocket endpoint: same origin as the page, path `/sync`. */
export function syncUrl(): string {
  const protocol = location.protocol === "https:" ? "wss:" : "ws:";
  return `${protocol}//${location.host}/sync`;
}

/**
 * Opens the local-first store of one todo space for `userId`. Its state lives in IndexedDB, so
 * the app starts with the last known data (no spinner) and works offline; the server learns who
 * the user is from `auth`, a signed token checked by its `authenticate` hook, fetched afresh on
 * every connect and before the token expires.
 */
export function openTodoStore(instance: string, userId: string): Store<TodoDefinition> {
  return createStore(todo, {
    // In development the devtools panel shows the network log and acknowledgements from the start.
    inspect: import.meta.env.DEV,
    space: instance,
    userId,
    persistence: idbPersistence(),
    // Each tab is its own client; tabs share pending edits (also offline) and push the queue of
    // a tab closed before it could.
    tabs: { registry: idbClientRegistry },
    connect: connectToServer({
      url: syncUrl(),
      // Where WebSockets cannot connect (some proxies), the same endpoint over HTTP.
      httpUrl: `${location.origin}/sync`,
      auth: () => fetchToken(userId),
      // An interactive app: notice a dead connection within seconds, retry at least every 5 s.
      heartbeatIntervalMs: 4_000,
      heartbeatTimeoutMs: 3_000,
      backoff: { maxDelayMs: 5_000 },
    }),
  });
}
