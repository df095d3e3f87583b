import { MutationRejectedError } from "@synced-store/core";
import { useMutate } from "@synced-store/react";
import { memo, useRef } from "react";
import { focusAfterRemoval } from "../focus-after-removal.js";
import { MAX_TODO_TEXT, SERVER_MAX_TODO_TEXT, type Todo } from "../shared/schemas.js";
import { useInlineEdit } from "../use-inline-edit.js";
import { TextLimit } from "./text-limit.js";

/** Props of {@link TodoItem}. */
export interface TodoItemProps {
  todo: Todo;
  /** The `order` that moves this todo up one place; undefined when it is first. */
  moveUpTo: number | undefined;
  /** The `order` that moves it down one place; undefined when it is last. */
  moveDownTo: number | undefined;
}

/**
 * One todo: toggle, edit (click or Enter on the text), reorder, delete. Every control is named
 * after the todo it acts on. An edit the server refuses opens again with the refused text.
 * Memoised: thanks to the structural sharing of `useSubscribe`, an unchanged todo keeps its
 * identity and skips rendering.
 */
export const TodoItem = memo(function TodoItem({ todo, moveUpTo, moveDownTo }: TodoItemProps) {
  const mutate = useMutate();
  const row = useRef<HTMLLIElement>(null);
  const edit = useInlineEdit((value) => {
    const text = value.trim();
    if (!text || text === todo.text) return;
    void mutate.editTodo({ id: todo.id, text }).then(({ confirmed }) =>
      confirmed.catch((error: unknown) => {
        if (error instanceof MutationRejectedError) edit.start(text);
      }),
    );
  });
  const moveTo = (order: number | undefined) => {
    if (order !== undefined) void mutate.moveTodo({ id: todo.id, order });
  };
  const name = `“${todo.text}”`;
  return (
    <li ref={row} className={todo.done ? "todo done" : "todo"} data-testid="todo">
      <input
        type="checkbox"
        aria-label={`Done: ${todo.text}`}
        checked={todo.done}
        onChange={(e) => void mutate.toggleTodo({ id: todo.id, done: e.target.checked })}
      />
      {edit.draft === null ? (
        <button
          ref={(el) => {
            edit.returnFocusTo.current = el;
          }}
          className="text"
          aria-label={`Edit ${name}`}
          onClick={() => edit.start(todo.text)}
        >
          {todo.text}
        </button>
      ) : (
        <span className="editing">
          <input
            className="edit"
            aria-label="Edit todo"
            aria-describedby={`limit-${todo.id}`}
            maxLength={MAX_TODO_TEXT}
            {...edit.inputProps}
          />
          <TextLimit id={`limit-${todo.id}`} length={edit.draft.trim().length} max={SERVER_MAX_TODO_TEXT} />
        </span>
      )}
      <span className="by">{todo.createdBy}</span>
      <span className="actions">
        <button
          aria-label={`Move ${name} up`}
          disabled={moveUpTo === undefined}
          onClick={() => moveTo(moveUpTo)}
        >
          ↑
        </button>
        <button
          aria-label={`Move ${name} down`}
          disabled={moveDownTo === undefined}
          onClick={() => moveTo(moveDownTo)}
        >
          ↓
        </button>
        <button
          aria-label={`Delete ${name}`}
          className="danger"
          onClick={() => {
            if (row.current) focusAfterRemoval(row.current);
            void mutate.deleteTodo({ id: todo.id });
          }}
        >
          ✕
        </button>
      </span>
    </li>
  );
});
