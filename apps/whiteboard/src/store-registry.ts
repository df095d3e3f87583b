import type { Store } from "@synced-store/core";
import { openBoardStore } from "./open-store.js";
import type { WhiteboardDefinition } from "./shared/definition.js";

const stores = new Map<string, Store<WhiteboardDefinition>>();

/** The store of a board, opened once per page (React may mount components twice in dev). */
export function storeFor(boardId: string, userId: string): Store<WhiteboardDefinition> {
  const key = `${userId}\u0000${boardId}`;
  let store = stores.get(key);
  if (!store) {
    store = openBoardStore(boardId, userId);
    stores.set(key, store);
  }
  return store;
}
