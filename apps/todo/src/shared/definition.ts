import { defineStore } from "@synced-store/core";
import { z } from "zod";
import { AuditEntry, Filter, Id, ListTombstone, Prefs, Stats, Todo, TodoList } from "./schemas.js";

/**
 * The todo store, shared by the browser and the sync server. One definition serves two kinds of
 * space: the directory `todo/lists` (the lists and each user's preferences) and one space per
 * list, `todo/{listId}` (its todos, each user's filter, server-only stats and audit trail, and the
 * tombstone of a deleted list).
 *
 * Mutators are deterministic: ids, times and positions arrive in their arguments.
 */
export const todo = defineStore({
  name: "todo",
  keys: {
    "lists/*": TodoList,
    "todos/*": Todo,
    "$$pu/*/filter": Filter,
    "$$pu/*/prefs": Prefs,
    "$$so/stats": Stats,
    "$$so/audit/*": AuditEntry,
    deleted: ListTombstone,
  },
})
  .mutators({
    createList: {
      args: z.object({ id: Id, name: TodoList.shape.name, createdAt: z.number() }),
      run: async (tx, { id, name, createdAt }) => {
        await tx.set(`lists/${id}`, { id, name, createdAt, createdBy: tx.userId });
      },
    },
    renameList: {
      args: z.object({ id: Id, name: TodoList.shape.name }),
      run: async (tx, { id, name }) => {
        await tx.update(`lists/${id}`, (list) => {
          list.name = name;
        });
      },
    },
    /** Removes the list from the directory; `purgeList`, in the list's space, deletes its data. */
    deleteList: {
      args: z.object({ id: Id }),
      run: async (tx, { id }) => {
        await tx.del(`lists/${id}`);
      },
    },
    setPrefs: {
      args: Prefs,
      run: async (tx, prefs) => {
        await tx.set(tx.privateKey("prefs"), prefs);
      },
    },
    addTodo: {
      args: z.object({ id: Id, text: Todo.shape.text, order: z.number(), createdAt: z.number() }),
      run: async (tx, args) => {
        await tx.set(`todos/${args.id}`, { ...args, done: false, createdBy: tx.userId });
      },
    },
    editTodo: {
      args: z.object({ id: Id, text: Todo.shape.text }),
      run: async (tx, { id, text }) => {
        await tx.update(`todos/${id}`, (t) => {
          t.text = text;
        });
      },
    },
    toggleTodo: {
      args: z.object({ id: Id, done: z.boolean() }),
      run: async (tx, { id, done }) => {
        await tx.update(`todos/${id}`, (t) => {
          t.done = done;
        });
      },
    },
    moveTodo: {
      args: z.object({ id: Id, order: z.number() }),
      run: async (tx, { id, order }) => {
        await tx.update(`todos/${id}`, (t) => {
          t.order = order;
        });
      },
    },
    deleteTodo: {
      args: z.object({ id: Id }),
      run: async (tx, { id }) => {
        await tx.del(`todos/${id}`);
      },
    },
    setFilter: {
      args: Filter,
      run: async (tx, filter) => {
        await tx.set(tx.privateKey("filter"), filter);
      },
    },
  })
  .actions((action) => ({
    /** Deletes the list's completed todos on the server and counts them in `$$so/stats`. */
    clearCompleted: action(z.object({}), async (tx, _args, ctx) => {
      const done = (await tx.scan({ prefix: "todos/" })).filter((e) => e.value.done);
      for (const entry of done) await tx.del(entry.key);
      const stats = (await tx.get("$$so/stats")) ?? { added: 0, cleared: 0 };
      const next = { ...stats, cleared: stats.cleared + done.length };
      await tx.set("$$so/stats", next);
      await appendAudit(tx, ctx.userId, `cleared ${done.length} completed`);
      return { removed: done.length, totalCleared: next.cleared };
    }),
    /**
     * Deletes a list's data for everyone, run in the list's space: every todo, every user's filter,
     * the server-only stats and audit trail. Leaves a tombstone (`deleted`) that sends everyone in
     * the list out with a notice, and makes the server refuse later edits to the list.
     */
    purgeList: action(z.object({ name: TodoList.shape.name }), async (tx, { name }, ctx) => {
      const entries = await tx.scan();
      for (const entry of entries) await tx.del(entry.key);
      await tx.set("deleted", { name, by: ctx.userId, at: Date.now() });
      return { removedTodos: entries.filter((e) => e.key.startsWith("todos/")).length };
    }),
    /**
     * First run, in the directory space: the most recent list, or, when there is none, a new one
     * made from `args`. On the server, so two new users at once do not both make a first list.
     */
    openFirstList: action(
      z.object({ id: Id, name: TodoList.shape.name, createdAt: z.number() }),
      async (tx, args, ctx) => {
        const lists = (await tx.scan({ prefix: "lists/" })).map((e) => e.value);
        const latest = lists.sort((a, b) => b.createdAt - a.createdAt)[0];
        if (latest) return { id: latest.id, created: false };
        await tx.set(`lists/${args.id}`, { ...args, createdBy: ctx.userId });
        return { id: args.id, created: true };
      },
    ),
    /** The list's server-only stats and latest audit entries, which no client can read itself. */
    activity: action(z.object({ limit: z.number().int().min(1).max(50) }), async (tx, { limit }) => {
      const stats = (await tx.get("$$so/stats")) ?? { added: 0, cleared: 0 };
      const entries = await tx.scan({ prefix: "$$so/audit/" });
      return { stats, recent: entries.slice(-limit).map((e) => e.value) };
    }),
  }));

/** The todo store's definition type, for typed hooks and servers. */
export type TodoDefinition = typeof todo;

/** Directory space instance: `todo/lists`. */
export const DIRECTORY_INSTANCE = "lists";

/**
 * Adds an audit entry under a time-ordered key. Server code only (actions and the server's
 * mutators): a `$$so/` write, and not deterministic (a random suffix keeps same-time keys apart).
 */
export async function appendAudit(
  tx: { set(key: `$$so/audit/${string}`, value: AuditEntry): Promise<void> },
  userId: string,
  what: string,
  at: number = Date.now(),
): Promise<void> {
  const suffix = Math.random().toString(36).slice(2, 8);
  await tx.set(`$$so/audit/${String(at).padStart(15, "0")}-${suffix}`, { at, userId, what });
}
