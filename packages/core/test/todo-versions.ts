import { z } from "zod";
import { defineStore } from "../src/schema/define-store.js";

/**
 * Three versions of one small todo store, for the evolution tests:
 * v1 → v2 adds `priority` (default "normal", dropped for v1 readers), renames `toggle` to
 * `toggleDone`, gives `addTodo` a priority and retires `archive`; v2 → v3 renames `text` to
 * `title` (and back for older readers) and splits each todo's priority into `priorities/*`.
 */
const TodoV1 = z.object({ id: z.string(), text: z.string(), done: z.boolean() });
const Priority = z.enum(["low", "normal", "high"]);
const TodoV2 = TodoV1.extend({ priority: Priority });
const TodoV3 = z.object({ id: z.string(), title: z.string(), done: z.boolean() });

export const todoV1 = defineStore({
  name: "vtodo",
  keys: { "todos/*": TodoV1, counter: z.number() },
}).mutators({
  addTodo: {
    args: z.object({ id: z.string(), text: z.string() }),
    run: (tx, a) => tx.set(`todos/${a.id}`, { ...a, done: false }),
  },
  toggle: {
    args: z.object({ id: z.string() }),
    run: async (tx, { id }) => void (await tx.update(`todos/${id}`, (t) => void (t.done = !t.done))),
  },
  archive: {
    args: z.object({ id: z.string() }),
    run: async (tx, { id }) => void (await tx.del(`todos/${id}`)),
  },
  increment: {
    args: z.number(),
    run: async (tx, by) => tx.set("counter", ((await tx.get("counter")) ?? 0) + by),
  },
});

const v2Upgrade = {
  values: {
    "todos/*": {
      up: (t: z.infer<typeof TodoV1>) => ({ ...t, priority: "normal" }),
      down: ({ priority: _priority, ...t }: z.infer<typeof TodoV2>) => t,
    },
  },
  mutators: {
    toggle: { to: "toggleDone" },
    addTodo: { args: (a: { id: string; text: string }) => ({ ...a, priority: "normal" }) },
    archive: { retired: "archiving is gone; delete the todo instead" },
  },
};

export const todoV2 = defineStore({
  name: "vtodo",
  version: 2,
  keys: { "todos/*": TodoV2, counter: z.number() },
  upgrades: { 2: v2Upgrade },
}).mutators({
  addTodo: {
    args: z.object({ id: z.string(), text: z.string(), priority: Priority }),
    run: (tx, a) => tx.set(`todos/${a.id}`, { ...a, done: false }),
  },
  toggleDone: {
    args: z.object({ id: z.string() }),
    run: async (tx, { id }) => void (await tx.update(`todos/${id}`, (t) => void (t.done = !t.done))),
  },
  increment: {
    args: z.number(),
    run: async (tx, by) => tx.set("counter", ((await tx.get("counter")) ?? 0) + by),
  },
});

export const todoV3 = defineStore({
  name: "vtodo",
  version: 3,
  minSupportedVersion: 2,
  keys: { "todos/*": TodoV3, "priorities/*": Priority, counter: z.number() },
  upgrades: {
    2: v2Upgrade,
    3: {
      values: {
        "todos/*": {
          entries: ({ text, priority, ...t }: z.infer<typeof TodoV2>, key: string) => [
            [key, { ...t, title: text }],
            [`priorities/${t.id}`, priority],
          ],
        },
      },
      mutators: {
        addTodo: { args: ({ text, ...a }: { id: string; text: string }) => ({ ...a, title: text }) },
      },
    },
  },
}).mutators({
  addTodo: {
    args: z.object({ id: z.string(), title: z.string(), priority: Priority }),
    run: async (tx, { priority, ...a }) => {
      await tx.set(`todos/${a.id}`, { ...a, done: false });
      await tx.set(`priorities/${a.id}`, priority);
    },
  },
  toggleDone: {
    args: z.object({ id: z.string() }),
    run: async (tx, { id }) => void (await tx.update(`todos/${id}`, (t) => void (t.done = !t.done))),
  },
  increment: {
    args: z.number(),
    run: async (tx, by) => tx.set("counter", ((await tx.get("counter")) ?? 0) + by),
  },
});
