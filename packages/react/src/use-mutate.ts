import type { AnyStoreDefinition, MutateApi, Store } from "@synced-store/core";
import type { RegisteredDefinition } from "./register.js";
import { useStore } from "./store-provider.js";

/**
 * The store's typed mutators: `useMutate().addTodo({ id, text })` applies locally at once and
 * resolves with `{ id, confirmed }`. The object keeps its identity, so it is safe in deps.
 */
export function useMutate<D extends AnyStoreDefinition = RegisteredDefinition>(
  store?: Store<D>,
): MutateApi<D> {
  return useStore(store).mutate;
}
