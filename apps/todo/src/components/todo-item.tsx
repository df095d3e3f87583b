import { useMutate } from "@synced-store/react";
import { memo, useState } from "react";
import { MAX_TODO_TEXT, type Todo } from "../shared/schemas.js";

/** Props of {@link TodoItem}. */
export interface TodoItemProps {
  todo: Todo;
  /** The `order` that moves this todo up one place; undefined when it is first. */
  moveUpTo: number | undefined;
  /** The `order` that moves it down one place; undefined when it is last. */
  moveDownTo: number | undefined;
}

/**
 * One todo: toggle, edit (double-click the text), reorder, delete. Memoised: thanks to the
 * structural sharing of `useSubscribe`, an unchanged todo keeps its identity and skips rendering.
 */
export const TodoItem = memo(function TodoItem({ todo, moveUpTo, moveDownTo }: TodoItemProps) {
  const mutate = useMutate();
  const [draft, setDraft] = useState<string | null>(null);
  const moveTo = (order: number | undefined) => {
    if (order !== undefined) void mutate.moveTodo({ id: todo.id, order });
  };
  const save = () => {
    const text = draft?.trim();
    setDraft(null);
    if (text && text !== todo.text) void mutate.editTodo({ id: todo.id, text });
  };
  return (
    <li className={todo.done ? "todo done" : "todo"} data-testid="todo">
      <input
        type="checkbox"
        aria-label={`Done: ${todo.text}`}
        checked={todo.done}
        onChange={(e) => void mutate.toggleTodo({ id: todo.id, done: e.target.checked })}
      />
      {draft === null ? (
        <span className="text" title="Double-click to edit" onDoubleClick={() => setDraft(todo.text)}>
          {todo.text}
        </span>
      ) : (
        <input
          className="edit"
          aria-label="Edit todo"
          autoFocus
          value={draft}
          maxLength={MAX_TODO_TEXT}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={save}
          onKeyDown={(e) => {
            if (e.key === "Enter") save();
            if (e.key === "Escape") setDraft(null);
          }}
        />
      )}
      <span className="by">{todo.createdBy}</span>
      <span className="actions">
        <button aria-label="Move up" disabled={moveUpTo === undefined} onClick={() => moveTo(moveUpTo)}>
          ↑
        </button>
        <button aria-label="Move down" disabled={moveDownTo === undefined} onClick={() => moveTo(moveDownTo)}>
          ↓
        </button>
        <button
          aria-label="Delete"
          className="danger"
          onClick={() => void mutate.deleteTodo({ id: todo.id })}
        >
          ✕
        </button>
      </span>
    </li>
  );
});
