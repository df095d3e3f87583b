import { useCallback, useSyncExternalStore } from "react";

function subscribe(onChange: () => void): () => void {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
}

function currentListId(): string | null {
  const match = /^#\/list\/([A-Za-z0-9_-]+)$/.exec(location.hash);
  return match?.[1] ?? null;
}

/** The list shown, kept in the URL hash (`#/list/{id}`) so a link or a reload opens it again. */
export function useHashList(): [string | null, (listId: string | null) => void] {
  const listId = useSyncExternalStore(subscribe, currentListId);
  const select = useCallback((id: string | null) => {
    location.hash = id === null ? "" : `#/list/${id}`;
  }, []);
  return [listId, select];
}
