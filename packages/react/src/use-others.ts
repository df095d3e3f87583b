import type { AnyStoreDefinition, PresenceOf, PresencePeer, Store } from "@synced-store/core";
import { useCallback, useRef, useSyncExternalStore } from "react";
import type { RegisteredDefinition } from "./register.js";
import { replaceEqualDeep } from "./replace-equal-deep.js";
import { useStore } from "./store-provider.js";

/** The others' presence in the space, as `store.presence.others()` gives it. */
export type Others<D extends AnyStoreDefinition> = readonly PresencePeer<PresenceOf<D>>[];

/**
 * The other connections of the space with their presence (other users, and this user's other
 * tabs); empty while offline. Each peer keeps its identity until its own state changes, so a
 * list of memoized cursors re-renders only the cursor that moved.
 *
 * With `select`, returns what it derives from the others, with structural sharing: the
 * component re-renders only when the derived value changes (avatars that do not re-render as
 * cursors move: `useOthers((o) => o.map((p) => p.userId))`).
 */
export function useOthers<D extends AnyStoreDefinition = RegisteredDefinition>(): Others<D>;
export function useOthers<T, D extends AnyStoreDefinition = RegisteredDefinition>(
  select: (others: Others<D>) => T,
  options?: { store?: Store<D> },
): T;
export function useOthers<T, D extends AnyStoreDefinition>(
  select?: (others: Others<D>) => T,
  options: { store?: Store<D> } = {},
): T | Others<D> {
  const store = useStore(options.store);
  const subscribe = useCallback((onChange: () => void) => store.presence.subscribe(onChange), [store]);
  const last = useRef<{ others: Others<D>; select: typeof select; value: unknown } | null>(null);
  const get = () => {
    const others = store.presence.others() as Others<D>;
    if (select === undefined) return others;
    const prev = last.current;
    if (prev !== null && prev.others === others && prev.select === select) return prev.value as T;
    const value = replaceEqualDeep(prev?.value, select(others));
    last.current = { others, select, value };
    return value;
  };
  return useSyncExternalStore(subscribe, get, get);
}
