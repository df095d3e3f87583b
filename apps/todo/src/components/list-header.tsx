import { OfflineError, type Store } from "@synced-store/core";
import { useAction, useSubscribe } from "@synced-store/react";
import { useState } from "react";
import type { TodoDefinition } from "../shared/definition.js";
import type { ListTombstone } from "../shared/schemas.js";
import { useInlineEdit } from "../use-inline-edit.js";
import { ConfirmDialog } from "./confirm-dialog.js";

/** Props of {@link ListHeader}. */
export interface ListHeaderProps {
  listId: string;
  userId: string;
  /** The directory store, where lists are named and deleted. */
  directory: Store<TodoDefinition>;
  /** How many todos the list holds, for the confirmation. */
  todoCount: number;
  onDeleted: (tombstone: ListTombstone) => void;
}

/**
 * The list's name (rename with the button or a double-click) and its deletion: after a
 * confirmation, a server action deletes the list's data for everyone, then the directory entry
 * goes. Deleting needs a connection (an action is not optimistic), and says so when offline.
 */
export function ListHeader({ listId, userId, directory, todoCount, onDeleted }: ListHeaderProps) {
  const list = useSubscribe((tx) => tx.get(`lists/${listId}`), [listId], { store: directory });
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = list?.name ?? "Untitled list";
  const edit = useInlineEdit((value) => {
    const next = value.trim();
    if (next && next !== list?.name) void directory.mutate.renameList({ id: listId, name: next });
  });
  const remove = async () => {
    setBusy(true);
    try {
      await action.purgeList({ name });
      void directory.mutate.deleteList({ id: listId });
      onDeleted({ name, by: userId, at: Date.now() });
    } catch (e) {
      setError(
        e instanceof OfflineError
          ? "Deleting a list needs a connection to the server. Try again when you're online."
          : `The list wasn't deleted: ${e instanceof Error ? e.message : String(e)}`,
      );
      setBusy(false);
    }
  };
  return (
    <header className="list-header">
      {edit.draft === null ? (
        <>
          <h2 title="Double-click to rename" onDoubleClick={() => edit.start(name)}>
            {name}
          </h2>
          <button
            ref={(el) => {
              edit.returnFocusTo.current = el;
            }}
            className="link"
            aria-label={`Rename list “${name}”`}
            onClick={() => edit.start(name)}
          >
            Rename
          </button>
        </>
      ) : (
        <input className="rename" aria-label="List name" maxLength={80} {...edit.inputProps} />
      )}
      <button
        className="link danger"
        aria-label={`Delete list “${name}”`}
        onClick={() => setConfirming(true)}
      >
        Delete list
      </button>
      {confirming && (
        <ConfirmDialog
          title={`Delete “${name}”?`}
          confirmLabel="Delete list"
          busy={busy}
          onConfirm={() => void remove()}
          onCancel={() => {
            setConfirming(false);
            setError(null);
          }}
        >
          <p>
            The list and its {todoCount} {todoCount === 1 ? "todo" : "todos"} are deleted for everyone. This
            cannot be undone.
          </p>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
        </ConfirmDialog>
      )}
    </header>
  );
}
