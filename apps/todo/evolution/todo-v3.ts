import { defineStore, type VersionUpgrade } from "@synced-store/core";
import { z } from "zod";
import { Filter, Id, Stats, Todo } from "../src/shared/schemas.js";
import { Priority, type TodoV2, upgradeTo2 } from "./todo-v2.js";

export const TodoV3 = Todo.omit({ text: true }).extend({ title: Todo.shape.text, priority: Priority });

/** From version 2 to 3: `text` is renamed `title`; `$$so/stats` starts counting existing todos. */
export const upgradeTo3: VersionUpgrade = {
  values: {
    "todos/*": {
      up: ({ text, ...todo }: TodoV2) => ({ ...todo, title: text }),
      // What v2 apps (still served) read: the same todo under its old field name.
      down: ({ title, ...todo }: z.infer<typeof TodoV3>) => ({ ...todo, text: title }),
    },
  },
  mutators: {
    addTodo: { args: ({ text, ...a }: { text: string }) => ({ ...a, title: text }) },
    editTodo: { args: ({ id, text }: { id: string; text: string }) => ({ id, title: text }) },
  },
  // Server only, once per space, after `values` ran over its stored data.
  migrate: async (tx) => {
    const todos = await tx.scan("todos/");
    if (todos.length > 0 && (await tx.get("$$so/stats")) === undefined) {
      await tx.set("$$so/stats", { added: todos.length, cleared: 0 });
    }
  },
};

export const todoV3 = defineStore({
  name: "todo",
  version: 3,
  minSupportedVersion: 2, // v1 apps are told to update
  keys: { "todos/*": TodoV3, "$$pu/*/filter": Filter, "$$so/stats": Stats },
  upgrades: { 2: upgradeTo2, 3: upgradeTo3 },
}).mutators({
  addTodo: {
    args: z.object({
      id: Id,
      title: Todo.shape.text,
      order: z.number(),
      createdAt: z.number(),
      priority: Priority,
    }),
    run: async (tx, args) => {
      await tx.set(`todos/${args.id}`, { ...args, done: false, createdBy: tx.userId });
    },
  },
  editTodo: {
    args: z.object({ id: Id, title: Todo.shape.text }),
    run: async (tx, { id, title }) => {
      await tx.update(`todos/${id}`, (t) => {
        t.title = title;
      });
    },
  },
  setDone: {
    args: z.object({ id: Id, done: z.boolean() }),
    run: async (tx, { id, done }) => {
      await tx.update(`todos/${id}`, (t) => {
        t.done = done;
      });
    },
  },
  setPriority: {
    args: z.object({ id: Id, priority: Priority }),
    run: async (tx, { id, priority }) => {
      await tx.update(`todos/${id}`, (t) => {
        t.priority = priority;
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
    run: (tx, filter) => tx.set(tx.privateKey("filter"), filter),
  },
});
