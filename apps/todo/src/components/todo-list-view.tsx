import type { Store } from "@synced-store/core";
import { useSubscribe } from "@synced-store/react";
import { useEffect } from "react";
import { orderBetween } from "../order-between.js";
import type { TodoDefinition } from "../shared/definition.js";
import type { ListTombstone, Todo } from "../shared/schemas.js";
import { ActivityPanel } from "./activity-panel.js";
import { FilterBar } from "./filter-bar.js";
import { ListFooter } from "./list-footer.js";
import { ListHeader } from "./list-header.js";
import { NewTodoForm } from "./new-todo-form.js";
import { TodoItem } from "./todo-item.js";

/** Props of {@link TodoListView}. */
export interface TodoListViewProps {
  listId: string;
  userId: string;
  /** The directory store, where the list's name lives. */
  directory: Store<TodoDefinition>;
  /** Called once the list is deleted, by this user or by someone else. */
  onGone: (tombstone: ListTombstone) => void;
}

const byOrder = (a: Todo, b: Todo) => a.order - b.order || a.id.localeCompare(b.id);

/**
 * One list: its todos in order, filtered by the user's private filter. When the list's tombstone
 * appears (someone deleted it), the user is sent out.
 */
export function TodoListView({ listId, userId, directory, onGone }: TodoListViewProps) {
  const list = useSubscribe((tx) => tx.get(`lists/${listId}`), [listId], { store: directory });
  const todos = useSubscribe(
    async (tx) => (await tx.scan({ prefix: "todos/" })).map((e) => e.value).sort(byOrder),
    [],
    { default: [] as Todo[] },
  );
  const filter = useSubscribe((tx) => tx.get(tx.privateKey("filter")), []) ?? "all";
  const shown = todos.filter((t) => filter === "all" || (filter === "done") === t.done);
  const tombstone = useSubscribe((tx) => tx.get("deleted"), []);
  useEffect(() => {
    if (tombstone) onGone(tombstone);
  }, [tombstone, onGone]);
  return (
    <section className="list" aria-label={list?.name ?? "List"}>
      <ListHeader
        listId={listId}
        userId={userId}
        directory={directory}
        todoCount={todos.length}
        onDeleted={onGone}
      />
      <NewTodoForm nextOrder={(todos.at(-1)?.order ?? 0) + 1} />
      <FilterBar filter={filter} />
      <ul className="todos">
        {shown.map((todo) => {
          const i = todos.indexOf(todo);
          // Moving up lands between the two todos above; moving down, between the two below.
          // Plain numbers as props, so an unchanged todo's memoised item skips rendering.
          const up = i > 0 ? orderBetween(todos[i - 2]?.order, todos[i - 1]?.order) : undefined;
          const down =
            i < todos.length - 1 ? orderBetween(todos[i + 1]?.order, todos[i + 2]?.order) : undefined;
          return <TodoItem key={todo.id} todo={todo} moveUpTo={up} moveDownTo={down} />;
        })}
      </ul>
      {shown.length === 0 && (
        <p className="empty">{todos.length === 0 ? "Nothing to do yet." : "No todos match this filter."}</p>
      )}
      <ListFooter
        remaining={todos.filter((t) => !t.done).length}
        completed={todos.filter((t) => t.done).length}
      />
      <ActivityPanel />
    </section>
  );
}
