import { useCallback, useSyncExternalStore } from "react";

function subscribe(onChange: () => void): () => void {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
}

function currentListId(): string | null {
  const match = /^#\/list\/([A-Za-z0-9_-]+)$/.exec(location.hash);
  return match?.[1] ?? null;
}

/** How {@link useHashList}'s select changes the URL. */
export interface SelectOptions {
  /** Replace the history entry instead of adding one (the app chose the list, not the user). */
  replace?: boolean;
}

/** The list shown, kept in the URL hash (`#/list/{id}`) so a link or a reload opens it again. */
export function useHashList(): [string | null, (listId: string | null, options?: SelectOptions) => void] {
  const listId = useSyncExternalStore(subscribe, currentListId);
  const select = useCallback((id: string | null, options?: SelectOptions) => {
    const hash = id === null ? "" : `#/list/${id}`;
    if (!options?.replace) {
      location.hash = hash;
      return;
    }
    // Same document, no reload; replaceState fires no event of its own.
    history.replaceState(history.state, "", hash || location.pathname + location.search);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  }, []);
  return [listId, select];
}
