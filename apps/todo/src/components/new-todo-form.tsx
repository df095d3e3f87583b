import { useMutate } from "@synced-store/react";
import { useState } from "react";
import { newId } from "../new-id.js";
import { MAX_TODO_TEXT } from "../shared/schemas.js";

/** Adds a todo at the end of the list; it shows at once, before the server has seen it. */
export function NewTodoForm({ nextOrder }: { nextOrder: number }) {
  const mutate = useMutate();
  const [text, setText] = useState("");
  return (
    <form
      className="new-todo"
      onSubmit={(e) => {
        e.preventDefault();
        const trimmed = text.trim();
        if (!trimmed) return;
        void mutate.addTodo({ id: newId(), text: trimmed, order: nextOrder, createdAt: Date.now() });
        setText("");
      }}
    >
      <input
        aria-label="New todo"
        placeholder="What needs doing?"
        value={text}
        maxLength={MAX_TODO_TEXT}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" disabled={!text.trim()}>
        Add
      </button>
    </form>
  );
}
