import { defineStore, type VersionUpgrade } from "@synced-store/core";
import { z } from "zod";
import { Filter, Id, Stats, Todo } from "../src/shared/schemas.js";
import { Priority, upgradeTo2 } from "./todo-v2.js";
import { upgradeTo3 } from "./todo-v3.js";
import { TodoV4, upgradeTo4 } from "./todo-v4.js";

/** Contract: the todo no longer holds a priority. */
export const TodoV5 = TodoV4.omit({ priority: true });

/** From version 4 to 5: the copy in the todo is dropped. */
export const upgradeTo5: VersionUpgrade = {
  values: {
    "todos/*": ({ priority: _copy, ...todo }: z.infer<typeof TodoV4>) => todo,
  },
};

export const todoV5 = defineStore({
  name: "todo",
  version: 5,
  minSupportedVersion: 4, // v4 apps read `priorities/*` already
  keys: { "todos/*": TodoV5, "priorities/*": Priority, "$$pu/*/filter": Filter, "$$so/stats": Stats },
  upgrades: { 2: upgradeTo2, 3: upgradeTo3, 4: upgradeTo4, 5: upgradeTo5 },
}).mutators({
  addTodo: {
    args: z.object({
      id: Id,
      title: Todo.shape.text,
      order: z.number(),
      createdAt: z.number(),
      priority: Priority,
    }),
    run: async (tx, { priority, ...args }) => {
      await tx.set(`todos/${args.id}`, { ...args, done: false, createdBy: tx.userId });
      await tx.set(`priorities/${args.id}`, priority);
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
    run: (tx, { id, priority }) => tx.set(`priorities/${id}`, priority),
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
