import type { Store } from "@synced-store/core";
import { openTodoStore } from "./open-store.js";
import type { TodoDefinition } from "./shared/definition.js";

const stores = new Map<string, Store<TodoDefinition>>();

/**
 * The store of a todo space, opened once per page and kept open: switching back to a list is
 * then instant, and its pending edits keep syncing while another list is shown.
 */
export function storeFor(instance: string, userId: string): Store<TodoDefinition> {
  const key = `${userId}\u0000${instance}`;
  let store = stores.get(key);
  if (!store) {
    store = openTodoStore(instance, userId);
    stores.set(key, store);
  }
  return store;
}
