import { z } from "zod";
import { appendAudit, todo } from "../src/shared/definition.js";
import { Id, SERVER_MAX_TODO_TEXT, Todo, type ListTombstone } from "../src/shared/schemas.js";

/** Why the server refuses a long todo; the UI shows this message as it arrives. */
export const TOO_LONG_MESSAGE = `Todos are limited to ${SERVER_MAX_TODO_TEXT} characters on the server`;

function checkLength(text: string): void {
  if (text.length > SERVER_MAX_TODO_TEXT) throw new Error(TOO_LONG_MESSAGE);
}

/** Refuses an edit of a deleted list (e.g. queued offline by someone who was still inside it). */
async function checkNotDeleted(tx: {
  get(key: "deleted"): Promise<ListTombstone | undefined>;
}): Promise<void> {
  const tombstone = await tx.get("deleted");
  if (tombstone) throw new Error(`The list “${tombstone.name}” was deleted by ${tombstone.by}`);
}

type ListMutator = "toggleTodo" | "moveTodo" | "setFilter";

/** The shared mutator `name`, refused once its list is deleted. */
function inLiveList<N extends ListMutator>(name: N): (typeof todo.mutatorDefs)[N] {
  const def = todo.mutatorDefs[name];
  return {
    args: def.args,
    run: async (tx: Parameters<typeof def.run>[0], args: never) => {
      await checkNotDeleted(tx);
      await (def.run as (tx: unknown, args: unknown) => Promise<void>)(tx, args);
    },
  } as (typeof todo.mutatorDefs)[N];
}

/**
 * The server's version of the todo store: the shared definition with stricter overrides of
 * `addTodo` and `editTodo` (asymmetric trust: the client's copy cannot be relied on), and every
 * edit of a list refused once the list is deleted. The server versions also count additions and
 * keep an audit trail under `$$so/`, which no client can read.
 * This file is imported by server code only.
 */
export const serverTodo = todo.mutators({
  addTodo: {
    args: todo.mutatorDefs.addTodo.args,
    run: async (tx, args) => {
      checkLength(args.text);
      await checkNotDeleted(tx);
      await todo.mutatorDefs.addTodo.run(tx, args);
      const stats = (await tx.get("$$so/stats")) ?? { added: 0, cleared: 0 };
      await tx.set("$$so/stats", { ...stats, added: stats.added + 1 });
      await appendAudit(tx, tx.userId, `added “${args.text}”`, args.createdAt);
    },
  },
  editTodo: {
    args: z.object({ id: Id, text: Todo.shape.text }),
    run: async (tx, args) => {
      checkLength(args.text);
      await checkNotDeleted(tx);
      await todo.mutatorDefs.editTodo.run(tx, args);
    },
  },
  deleteTodo: {
    args: todo.mutatorDefs.deleteTodo.args,
    run: async (tx, args) => {
      await checkNotDeleted(tx);
      const existing = await tx.get(`todos/${args.id}`);
      await todo.mutatorDefs.deleteTodo.run(tx, args);
      if (existing) await appendAudit(tx, tx.userId, `deleted “${existing.text}”`);
    },
  },
  toggleTodo: inLiveList("toggleTodo"),
  moveTodo: inLiveList("moveTodo"),
  setFilter: inLiveList("setFilter"),
});
