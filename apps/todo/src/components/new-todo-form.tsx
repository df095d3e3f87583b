import { MutationRejectedError } from "@synced-store/core";
import { useMutate } from "@synced-store/react";
import { useRef, useState } from "react";
import { newId } from "../new-id.js";
import { MAX_TODO_TEXT, SERVER_MAX_TODO_TEXT } from "../shared/schemas.js";
import { TextLimit } from "./text-limit.js";

/**
 * Adds a todo at the end of the list; it shows at once, before the server has seen it. The field
 * shows the server's length limit while typing, and a text the server refuses comes back into
 * the field (unless the user typed something new meanwhile), so nothing typed is lost.
 */
export function NewTodoForm({ nextOrder }: { nextOrder: number }) {
  const mutate = useMutate();
  const [text, setText] = useState("");
  const input = useRef<HTMLInputElement>(null);
  const submit = async (value: string) => {
    setText("");
    const { confirmed } = await mutate.addTodo({
      id: newId(),
      text: value,
      order: nextOrder,
      createdAt: Date.now(),
    });
    confirmed.catch((error: unknown) => {
      if (!(error instanceof MutationRejectedError)) return;
      setText((current) => (current === "" ? value : current));
      input.current?.focus();
    });
  };
  return (
    <form
      className="new-todo"
      onSubmit={(e) => {
        e.preventDefault();
        const trimmed = text.trim();
        if (trimmed) void submit(trimmed);
      }}
    >
      <input
        ref={input}
        id="new-todo"
        aria-label="New todo"
        aria-describedby={text ? "new-todo-limit" : undefined}
        placeholder="What needs doing?"
        value={text}
        maxLength={MAX_TODO_TEXT}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" aria-label="Add todo" disabled={!text.trim()}>
        Add
      </button>
      {text && <TextLimit id="new-todo-limit" length={text.trim().length} max={SERVER_MAX_TODO_TEXT} />}
    </form>
  );
}
