import type { Store } from "@synced-store/core";
import { useSubscribe, useSyncStatus } from "@synced-store/react";
import { useEffect, useRef } from "react";
import { newId } from "./new-id.js";
import type { TodoDefinition } from "./shared/definition.js";
import type { SelectOptions } from "./use-hash-list.js";

const lastListKey = (userId: string) => `synced-store-todo:last-list:${userId}`;
const welcomedKey = (userId: string) => `synced-store-todo:welcomed:${userId}`;

/** Name of the list made for a new user when there is none yet. */
export const FIRST_LIST_NAME = "My first list";

/**
 * Never an empty screen: with no list in the URL (or a deleted one), opens the list this user had
 * open last, else the most recent one. A new user, on a directory with no list at all, gets a first list, made by the
 * server (`openFirstList`) so that two new users at once share one instead of making two.
 */
export function useAutoOpenList(
  directory: Store<TodoDefinition>,
  userId: string,
  listId: string | null,
  select: (listId: string, options?: SelectOptions) => void,
  /** Lists known to be deleted, whose directory entries may not have gone yet. */
  gone: ReadonlySet<string>,
): void {
  const all = useSubscribe(async (tx) => (await tx.scan({ prefix: "lists/" })).map((e) => e.value), [], {
    store: directory,
    default: [],
  });
  const lists = all.filter((l) => !gone.has(l.id));
  const { connection } = useSyncStatus(directory);
  // The list open now, read when `openFirstList` answers: the user may have followed a link meanwhile.
  const openNow = useRef(listId);
  openNow.current = listId !== null && !gone.has(listId) ? listId : null;
  useEffect(() => {
    if (listId !== null && !gone.has(listId)) {
      localStorage.setItem(lastListKey(userId), listId);
      return;
    }
    const last = localStorage.getItem(lastListKey(userId));
    const target = lists.find((l) => l.id === last) ?? lists.toSorted((a, b) => b.createdAt - a.createdAt)[0];
    if (target) return select(target.id, { replace: true });
    if (connection !== "online" || localStorage.getItem(welcomedKey(userId))) return;
    localStorage.setItem(welcomedKey(userId), "1");
    directory.action
      .openFirstList({ id: newId(), name: FIRST_LIST_NAME, createdAt: Date.now() })
      .then(({ id }) => {
        // A late answer must not take the user away from a list they opened in the meantime.
        if (openNow.current === null) select(id, { replace: true });
      })
      .catch(() => localStorage.removeItem(welcomedKey(userId))); // offline again: try next time
  }, [directory, userId, listId, lists, gone, connection, select]);
}
