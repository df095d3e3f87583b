import type { AnyStoreDefinition, Store } from "@synced-store/core";
import { createContext, useContext, type ReactNode } from "react";
import type { RegisteredDefinition } from "./register.js";
import { rejectionLogFor } from "./rejection-log.js";

const StoreContext = createContext<Store<AnyStoreDefinition> | null>(null);

/** Props of {@link StoreProvider}. */
export interface StoreProviderProps<D extends AnyStoreDefinition> {
  /** The store the hooks below read from and write to (see `createStore`). */
  store: Store<D>;
  children?: ReactNode;
}

/**
 * Makes `store` the one every hook below it uses, unless a hook is handed its own. Also starts
 * the store's rejection log, so rejections that arrive before `useRejections` mounts are kept.
 */
export function StoreProvider<D extends AnyStoreDefinition>({ store, children }: StoreProviderProps<D>) {
  // Store is invariant in its definition; the context holds it untyped and useStore re-types it.
  const untyped = store as unknown as Store<AnyStoreDefinition>;
  rejectionLogFor(untyped);
  return <StoreContext value={untyped}>{children}</StoreContext>;
}

/**
 * The store of the nearest {@link StoreProvider}, or `store` when given (so a component can use a
 * second store without a second provider). Throws when there is neither.
 */
export function useStore<D extends AnyStoreDefinition = RegisteredDefinition>(store?: Store<D>): Store<D> {
  const fromContext = useContext(StoreContext);
  const resolved = store ?? (fromContext as unknown as Store<D> | null);
  if (resolved === null) {
    throw new Error("No store: wrap the component in <StoreProvider store={…}> or pass a store to the hook");
  }
  return resolved;
}
