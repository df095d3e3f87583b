import { z } from "zod";
import { defineStore } from "../src/schema/define-store.js";

/** A small store definition shared by the core tests and benchmarks. */
export const Todo = z.object({ id: z.string(), text: z.string(), done: z.boolean() });

export const todoStore = defineStore({
  name: "todo",
  keys: {
    "todos/*": Todo,
    counter: z.number(),
    "$$pu/*/filter": z.enum(["all", "active", "done"]),
    "$$so/secrets/*": z.string(),
    "blobs/*": z.object({ id: z.string(), data: z.string() }),
    "items/*": z.number(),
  },
}).mutators({
  addTodo: {
    args: z.object({ id: z.string(), text: z.string() }),
    run: async (tx, a) => tx.set(`todos/${a.id}`, { id: a.id, text: a.text, done: false }),
  },
  toggle: {
    args: z.object({ id: z.string() }),
    run: async (tx, a) => {
      const t = await tx.update(`todos/${a.id}`, (d) => {
        d.done = !d.done;
      });
      if (t === undefined) throw new Error(`No todo ${a.id}`);
    },
  },
  removeTodo: { args: z.string(), run: async (tx, id) => void (await tx.del(`todos/${id}`)) },
  increment: {
    args: z.number(),
    run: async (tx, by) => tx.set("counter", ((await tx.get("counter")) ?? 0) + by),
  },
  setFilter: {
    args: z.enum(["all", "active", "done"]),
    run: async (tx, f) => tx.set(tx.privateKey("filter"), f),
  },
  setRaw: {
    args: z.object({ key: z.string(), value: z.unknown() }),
    run: async (tx, a) => tx.set(a.key, a.value as never),
  },
  delRaw: { args: z.string(), run: async (tx, key) => void (await tx.del(key)) },
  writeSecret: {
    args: z.object({ id: z.string(), value: z.string() }),
    run: async (tx, a) => tx.set(`$$so/secrets/${a.id}`, a.value),
  },
  putItems: {
    args: z.object({ from: z.number().int(), count: z.number().int(), value: z.number() }),
    run: async (tx, a) => {
      for (let i = a.from; i < a.from + a.count; i++)
        await tx.set(`items/${String(i).padStart(6, "0")}`, a.value);
    },
  },
  putBlobs: {
    args: z.object({ count: z.number().int(), size: z.number().int() }),
    run: async (tx, a) => {
      const data = "x".repeat(a.size);
      for (let i = 0; i < a.count; i++) {
        const id = String(i).padStart(6, "0");
        await tx.set(`blobs/${id}`, { id, data });
      }
    },
  },
});
