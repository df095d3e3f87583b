import { defineStore } from "@synced-store/core";
import { z } from "zod";

const Item = z.object({ text: z.string().max(100) });

/** A store exercising every server path: shared, private and server-only keys, failures, actions. */
export const testStore = defineStore({
  name: "test",
  keys: {
    "items/*": Item,
    counter: z.number(),
    "$$pu/*/note": z.string(),
    "$$so/*": z.unknown(),
  },
  presence: z.object({ x: z.number(), y: z.number(), label: z.string().max(2000).optional() }),
})
  .mutators({
    setItem: {
      args: z.object({ id: z.string(), text: z.string() }),
      run: (tx, a) => tx.set(`items/${a.id}`, { text: a.text }),
    },
    delItem: {
      args: z.object({ id: z.string() }),
      run: async (tx, a) => void (await tx.del(`items/${a.id}`)),
    },
    increment: {
      args: z.object({ by: z.number() }),
      run: async (tx, a) => {
        await tx.set("counter", ((await tx.get("counter")) ?? 0) + a.by);
        await tx.set("$$so/audit", { last: tx.userId });
      },
    },
    setNote: {
      args: z.object({ text: z.string(), owner: z.string().optional() }),
      run: (tx, a) => tx.set(`$$pu/${a.owner ?? tx.userId}/note`, a.text),
    },
    failAfterWrite: {
      args: z.object({ id: z.string() }),
      run: async (tx, a) => {
        await tx.set(`items/${a.id}`, { text: "never" });
        throw new Error(`refusing ${a.id}`);
      },
    },
    badValue: { args: z.object({}), run: (tx) => tx.set("items/bad", { text: 42 } as never) },
    setSecret: { args: z.object({ value: z.string() }), run: (tx, a) => tx.set("$$so/secret", a.value) },
    hang: { args: z.object({}), run: () => new Promise<void>(() => undefined) },
    countItems: {
      args: z.object({}),
      run: async (tx) => tx.set("counter", (await tx.scan({ prefix: "items/" })).length),
    },
  })
  .actions((action) => ({
    readSecret: action(z.object({}), async (tx) => (await tx.get("$$so/secret")) ?? null),
    clearItems: action(z.object({}), async (tx) => {
      const items = await tx.scan({ prefix: "items/" });
      for (const { key } of items) await tx.del(key);
      return { cleared: items.length };
    }),
    writeNoteFor: action(z.object({ user: z.string(), text: z.string() }), async (tx, a) => {
      await tx.set(`$$pu/${a.user}/note`, a.text);
      return "ok";
    }),
    explode: action(z.object({}), () => Promise.reject(new Error("kaboom"))),
    /** Waits (as if calling another system), then writes an item. */
    slowWrite: action(z.object({ ms: z.number().max(5000), id: z.string() }), async (tx, a) => {
      await new Promise((resolve) => setTimeout(resolve, a.ms));
      await tx.set(`items/${a.id}`, { text: "slow" });
      return "done";
    }),
  }));
