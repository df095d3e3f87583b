import { createStore, type Store } from "@synced-store/core";
import { idbPersistence } from "@synced-store/core/idb";
import { whiteboard, type WhiteboardDefinition } from "./shared/definition.js";

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
    space: boardId,
    userId,
    persistence: idbPersistence(),
  });
}
