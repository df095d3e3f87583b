import type { Store } from "@synced-store/core";
import { useSubscribe } from "@synced-store/react";
import type { TodoDefinition } from "../shared/definition.js";
import { useInlineEdit } from "../use-inline-edit.js";

/** Props of {@link ListHeader}. */
export interface ListHeaderProps {
  listId: string;
  /** The directory store, where lists are named and deleted. */
  directory: Store<TodoDefinition>;
  onDeleted: () => void;
}

/** The list's name (double-click to rename) and its deletion, both in the directory space. */
export function ListHeader({ listId, directory, onDeleted }: ListHeaderProps) {
  const list = useSubscribe((tx) => tx.get(`lists/${listId}`), [listId], { store: directory });
  const edit = useInlineEdit((value) => {
    const name = value.trim();
    if (name && name !== list?.name) void directory.mutate.renameList({ id: listId, name });
  });
  return (
    <header className="list-header">
      {edit.draft === null ? (
        <>
          <h2 title="Double-click to rename" onDoubleClick={() => edit.start(list?.name ?? "")}>
            {list?.name ?? "Untitled list"}
          </h2>
          <button
            ref={(el) => {
              edit.returnFocusTo.current = el;
            }}
            className="link"
            aria-label={`Rename list “${list?.name ?? ""}”`}
            onClick={() => edit.start(list?.name ?? "")}
          >
            Rename
          </button>
        </>
      ) : (
        <input className="rename" aria-label="List name" maxLength={80} {...edit.inputProps} />
      )}
      <button
        className="link danger"
        onClick={() => {
          void directory.mutate.deleteList({ id: listId });
          onDeleted();
        }}
      >
        Delete list
      </button>
    </header>
  );
}
