import { useStore } from "@synced-store/react";
import { useCallback, useEffect } from "react";
import type { Presence } from "./shared/schemas.js";
import { userColor } from "./user-color.js";

type Cursor = Presence["cursor"];

/** Merges `patch` into this client's presence, starting it (colour, no cursor, no note) if needed. */
function announce(
  presence: ReturnType<typeof useStore>["presence"],
  userId: string,
  patch: Partial<Presence>,
) {
  if (presence.get() === null)
    presence.set({ color: userColor(userId), cursor: null, editing: null, draft: null, ...patch });
  else presence.update(patch);
}

/**
 * Shows this client on the board and returns the function that streams its cursor. Presence is
 * sent again on every reconnect and throttled by the store (the latest position wins), so a
 * pointer handler may call it on every event; it never re-renders anything.
 */
export function useCursorPresence(userId: string): (cursor: Cursor) => void {
  const { presence } = useStore();
  useEffect(() => announce(presence, userId, {}), [presence, userId]);
  return useCallback((cursor: Cursor) => announce(presence, userId, { cursor }), [presence, userId]);
}

/**
 * Tells the others which note this client is editing (null: none), and returns the function that
 * streams the text typed in it before it is saved (throttled by the store like cursors).
 */
export function useEditingPresence(userId: string, editing: string | null): (draft: string) => void {
  const { presence } = useStore();
  useEffect(() => announce(presence, userId, { editing, draft: null }), [presence, userId, editing]);
  return useCallback((draft: string) => announce(presence, userId, { draft }), [presence, userId]);
}
