import { defineStore } from "@synced-store/core";
import { z } from "zod";
import { Filter, Id, Stats, Todo } from "../src/shared/schemas.js";

/**
 * Version 1 of the evolution example: the todos part of the todo app's definition
 * (`src/shared/definition.ts`), as the README shows it. docs/EVOLUTION.md ships versions 2 to 4
 * of it; `evolution.test.ts` runs them through the real upgrade code.
 */
export const todoV1 = defineStore({
  name: "todo",
  keys: { "todos/*": Todo, "$$pu/*/filter": Filter, "$$so/stats": Stats },
}).mutators({
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
    run: (tx, filter) => tx.set(tx.privateKey("filter"), filter),
  },
});
