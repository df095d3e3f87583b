import { useMutate, useSubscribe } from "@synced-store/react";
import { useState } from "react";
import { newId } from "../new-id.js";

/** Props of {@link ListSidebar}. */
export interface ListSidebarProps {
  selectedId: string | null;
  onSelect: (listId: string | null) => void;
}

/** Every list in the directory space, oldest first, and a form to create one. */
export function ListSidebar({ selectedId, onSelect }: ListSidebarProps) {
  const lists = useSubscribe(
    async (tx) => {
      const entries = await tx.scan({ prefix: "lists/" });
      return entries
        .map((e) => e.value)
        .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    },
    [],
    { default: [] },
  );
  const mutate = useMutate();
  const [name, setName] = useState("");
  return (
    <nav className="sidebar" aria-label="Lists">
      <ul>
        {lists.map((list) => (
          <li key={list.id}>
            <button
              className={list.id === selectedId ? "list-link selected" : "list-link"}
              aria-current={list.id === selectedId ? "page" : undefined}
              onClick={() => onSelect(list.id)}
            >
              {list.name}
            </button>
          </li>
        ))}
      </ul>
      <form
        className="new-list"
        onSubmit={(e) => {
          e.preventDefault();
          const trimmed = name.trim();
          if (!trimmed) return;
          const id = newId();
          void mutate.createList({ id, name: trimmed, createdAt: Date.now() });
          setName("");
          onSelect(id);
        }}
      >
        <input
          aria-label="New list name"
          placeholder="New list…"
          value={name}
          maxLength={80}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" aria-label="Add list" disabled={!name.trim()}>
          Add
        </button>
      </form>
    </nav>
  );
}
