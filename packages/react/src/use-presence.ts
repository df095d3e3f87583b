import type { AnyStoreDefinition, PresenceInput, PresenceOf, Store } from "@synced-store/core";
import { useCallback, useSyncExternalStore } from "react";
import type { RegisteredDefinition } from "./register.js";
import { useStore } from "./store-provider.js";

/**
 * This client's own presence and its setter, which merges a partial state into it (like
 * `store.presence.update`; `store.presence.set` replaces it whole). Re-renders when the own
 * presence changes; a component that only writes (a pointer handler) can call
 * `useStore().presence.update` instead and never re-render for it.
 *
 * @example
 * const [me, updateMe] = usePresence();
 * <div onPointerMove={(e) => updateMe({ cursor: { x: e.clientX, y: e.clientY } })} />
 */
export function usePresence<D extends AnyStoreDefinition = RegisteredDefinition>(
  store?: Store<D>,
): [PresenceOf<D> | null, (partial: Partial<PresenceInput<D>>) => void] {
  const resolved = useStore(store);
  const subscribe = useCallback(
    (onChange: () => void) => resolved.presence.subscribeOwn(onChange),
    [resolved],
  );
  const get = useCallback(() => resolved.presence.get(), [resolved]);
  const own = useSyncExternalStore(subscribe, get, get);
  const update = useCallback(
    (partial: Partial<PresenceInput<D>>) => resolved.presence.update(partial),
    [resolved],
  );
  return [own, update];
}
