import { defineStore, type VersionUpgrade } from "@synced-store/core";
import { z } from "zod";
import { Filter, Id, Stats, Todo } from "../src/shared/schemas.js";
import { Priority, upgradeTo2 } from "./todo-v2.js";
import { TodoV3, upgradeTo3 } from "./todo-v3.js";

/** Expand: the priority moves to `priorities/{id}`; the todo keeps an optional copy for v3 apps. */
export const TodoV4 = TodoV3.extend({ priority: Priority.optional() });

/** From version 3 to 4: each todo's priority is copied into a family of its own. */
export const upgradeTo4: VersionUpgrade = {
  values: {
    "todos/*": {
      entries: (todo: z.infer<typeof TodoV3>, key: string) => [
        [key, todo],
        [`priorities/${todo.id}`, todo.priority],
      ],
    },
  },
};

export const todoV4 = defineStore({
  name: "todo",
  version: 4,
  minSupportedVersion: 3, // v3 apps read `priority` from the todo, which v4 still writes
  keys: { "todos/*": TodoV4, "priorities/*": Priority, "$$pu/*/filter": Filter, "$$so/stats": Stats },
  upgrades: { 2: upgradeTo2, 3: upgradeTo3, 4: upgradeTo4 },
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
      await tx.set(`priorities/${args.id}`, args.priority);
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
      await tx.set(`priorities/${id}`, priority);
      await tx.update(`todos/${id}`, (t) => {
        t.priority = priority; // still written, for v3 apps
      });
    },
  },
  deleteTodo: {
    args: z.object({ id: Id }),
    run: async (tx, { id }) => {
      await tx.del(`todos/${id}`);
      await tx.del(`priorities/${id}`);
    },
  },
  setFilter: {
    args: Filter,
    run: (tx, filter) => tx.set(tx.privateKey("filter"), filter),
  },
});
