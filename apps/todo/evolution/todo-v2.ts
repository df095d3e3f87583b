import { defineStore, type VersionUpgrade } from "@synced-store/core";
import { z } from "zod";
import { Filter, Id, Stats, Todo } from "../src/shared/schemas.js";

export const Priority = z.enum(["low", "normal", "high"]);
export const TodoV2 = Todo.extend({ priority: Priority });
export type TodoV2 = z.infer<typeof TodoV2>;

type AddTodoV1 = { id: string; text: string; order: number; createdAt: number };

/** From version 1 to 2: a field with a default, a renamed mutator, a retired one. */
export const upgradeTo2: VersionUpgrade = {
  values: {
    // The default first: a todo that has a priority already keeps it (a v1 app reads the v2
    // todos the server sends it as they are, priority included, and keeps them in its base).
    "todos/*": (todo: Todo) => ({ priority: "normal", ...todo }),
  },
  mutators: {
    addTodo: { args: (a: AddTodoV1) => ({ ...a, priority: "normal" }) },
    toggleTodo: { to: "setDone" },
    moveTodo: { retired: "Lists are sorted by priority now; the move was not kept" },
  },
};

export const todoV2 = defineStore({
  name: "todo",
  version: 2,
  minSupportedVersion: 1, // v1 apps in the field keep syncing
  keys: { "todos/*": TodoV2, "$$pu/*/filter": Filter, "$$so/stats": Stats },
  upgrades: { 2: upgradeTo2 },
}).mutators({
  addTodo: {
    args: z.object({
      id: Id,
      text: Todo.shape.text,
      order: z.number(),
      createdAt: z.number(),
      priority: Priority,
    }),
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
