import { useMutate } from "@synced-store/react";
import { memo } from "react";
import { MAX_TODO_TEXT, type Todo } from "../shared/schemas.js";
import { useInlineEdit } from "../use-inline-edit.js";

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
  const edit = useInlineEdit((value) => {
    const text = value.trim();
    if (text && text !== todo.text) void mutate.editTodo({ id: todo.id, text });
  });
  const moveTo = (order: number | undefined) => {
    if (order !== undefined) void mutate.moveTodo({ id: todo.id, order });
  };
  return (
    <li className={todo.done ? "todo done" : "todo"} data-testid="todo">
      <input
        type="checkbox"
        aria-label={`Done: ${todo.text}`}
        checked={todo.done}
        onChange={(e) => void mutate.toggleTodo({ id: todo.id, done: e.target.checked })}
      />
      {edit.draft === null ? (
        <span className="text" title="Double-click to edit" onDoubleClick={() => edit.start(todo.text)}>
          {todo.text}
        </span>
      ) : (
        <input className="edit" aria-label="Edit todo" maxLength={MAX_TODO_TEXT} {...edit.inputProps} />
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
