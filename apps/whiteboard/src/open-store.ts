import { connectToServer, createStore, type Store } from "@synced-store/core";
import { idbClientRegistry, idbPersistence } from "@synced-store/core/idb";
import { whiteboard, type WhiteboardDefinition } from "./shared/definition.js";
import { SYNC_OPTIONS } from "./sync-options.js";

/** The sync server's WebSocket endpoint: same origin as the page, path `/sync`. */
export function syncUrl(): string {
  const protocol = location.protocol === "https:" ? "wss:" : "ws:";
  return `${protocol}//${location.host}/sync`;
}

/**
 * Opens the local-first store of one board for `userId`: state in IndexedDB (instant start,
 * offline edits survive a reload), synced through the server, which authenticates `auth`.
 */
export function openBoardStore(boardId: string, userId: string): Store<WhiteboardDefinition> {
  return createStore(whiteboard, {
    // In development the devtools panel shows the network log and acknowledgements from the start.
    inspect: import.meta.env.DEV,
    space: boardId,
    userId,
    persistence: idbPersistence(),
    // Each tab is its own client; tabs share pending edits (also offline) and push the queue of
    // a tab closed before it could.
    tabs: { registry: idbClientRegistry },
    connect: connectToServer({
      url: syncUrl(),
      // Where WebSockets cannot connect (some proxies), the same endpoint over HTTP.
      httpUrl: `${location.origin}/sync`,
      auth: userId,
      ...SYNC_OPTIONS,
    }),
  });
}
