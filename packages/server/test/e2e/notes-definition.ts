import { defineStore } from "@synced-store/core";
import { z } from "zod";

/**
 * The store the client↔server tests run: shared notes, a counter, private drafts and a
 * server-only log. On the server every applied mutation appends `{client, id, name, args}` to
 * `$$so/log/{seq}`, so a test can replay exactly what the server accepted, in server order.
 */
export const Note = z.object({ id: z.string(), text: z.string(), by: z.string() });
export const LogEntry = z.object({ client: z.string(), name: z.string(), args: z.unknown() });

export const notesStore = defineStore({
  name: "notes",
  keys: {
    "notes/*": Note,
    counter: z.number(),
    "$$pu/*/drafts/*": z.string(),
    "$$so/seq": z.number(),
    "$$so/log/*": LogEntry,
    "$$so/secrets/*": z.string(),
  },
})
  .mutators({
    putNote: {
      args: z.object({ id: z.string(), text: z.string() }),
      run: async (tx, a) => {
        await tx.set(`notes/${a.id}`, { id: a.id, text: a.text, by: tx.userId });
        await log(tx, "putNote", a);
      },
    },
    deleteNote: {
      args: z.object({ id: z.string() }),
      run: async (tx, a) => {
        await tx.del(`notes/${a.id}`);
        await log(tx, "deleteNote", a);
      },
    },
    increment: {
      args: z.object({ by: z.number().int() }),
      run: async (tx, a) => {
        await tx.set("counter", ((await tx.get("counter")) ?? 0) + a.by);
        await log(tx, "increment", a);
      },
    },
    saveDraft: {
      args: z.object({ id: z.string(), text: z.string() }),
      run: async (tx, a) => {
        await tx.set(tx.privateKey(`drafts/${a.id}`), a.text);
        await log(tx, "saveDraft", a);
      },
    },
    /** Accepted locally, refused by the server: exercises rejections end to end. */
    serverRefuses: {
      args: z.object({ reason: z.string() }),
      run: async (tx, a) => {
        if (tx.location === "server") throw new Error(a.reason);
        await tx.set("counter", -1);
      },
    },
  })
  .actions((action) => ({
    /** Stores a server-only secret and returns how many there are. */
    storeSecret: action(z.object({ name: z.string(), value: z.string() }), async (tx, a) => {
      await tx.set(`$$so/secrets/${a.name}`, a.value);
      await tx.set("counter", ((await tx.get("counter")) ?? 0) + 1000);
      return { count: (await tx.scan({ prefix: "$$so/secrets/" })).length };
    }),
    /** Always fails after writing: nothing it wrote may commit. */
    failingAction: action(z.object({ reason: z.string() }), async (tx, a) => {
      await tx.set("counter", 999_999);
      throw new Error(a.reason);
    }),
  }));

// `tx` is typed loosely here: the log is an implementation detail of the test store.
async function log(
  tx: {
    location: string;
    clientId: string;
    get(k: string): Promise<unknown>;
    set(k: string, v: never): Promise<void>;
  },
  name: string,
  args: unknown,
): Promise<void> {
  if (tx.location !== "server") return;
  const seq = ((await tx.get("$$so/seq")) as number | undefined) ?? 0;
  await tx.set("$$so/seq", (seq + 1) as never);
  await tx.set(`$$so/log/${String(seq + 1).padStart(8, "0")}`, { client: tx.clientId, name, args } as never);
}
