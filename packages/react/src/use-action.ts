import type { ActionApi, AnyStoreDefinition, Store } from "@synced-store/core";
import type { RegisteredDefinition } from "./register.js";
import { useStore } from "./store-provider.js";

/**
 * The store's typed server-only actions: `await useAction().clearCompleted({})` resolves with the
 * action's result, or rejects (`OfflineError` when offline). The object keeps its identity.
 */
export function useAction<D extends AnyStoreDefinition = RegisteredDefinition>(
  store?: Store<D>,
): ActionApi<D> {
  return useStore(store).action;
}
