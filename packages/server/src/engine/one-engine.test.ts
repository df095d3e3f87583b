import { defineStore } from "@synced-store/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { runOnClient, runOnServer } from "../test-support/both-engines.js";

const Todo = z.object({ id: z.string(), text: z.string(), done: z.boolean() });
const store = defineStore({
  name: "one-engine",
  keys: { "todos/*": Todo, "any/*": z.unknown() },
}).mutators({
  markDoneInPlace: {
    args: z.string(),
    run: async (tx, id) => {
      const t = await tx.get(`todos/${id}`);
      if (t === undefined) return;
      t.done = true;
      await tx.set(`todos/${id}`, t);
    },
  },
  markDoneByCopy: {
    args: z.string(),
    run: async (tx, id) => {
      const t = await tx.get(`todos/${id}`);
      if (t !== undefined) await tx.set(`todos/${id}`, { ...t, done: true });
    },
  },
  updateEditsAndReturns: {
    args: z.string(),
    run: async (tx, id) => {
      await tx.update(`todos/${id}`, (d) => {
        d.done = true;
        return { ...d, text: "returned" };
      });
    },
  },
  updateReturns: {
    args: z.string(),
    run: async (tx, id) => {
      await tx.update(`todos/${id}`, (d) => ({ ...d, text: "returned" }));
    },
  },
  scanEditsInPlace: {
    args: z.null(),
    run: async (tx) => {
      const [first] = await tx.scan({ prefix: "todos/" });
      if (first !== undefined) (first.value as { text: string }).text = "edited";
    },
  },
  writeOdd: {
    args: z.null(),
    run: async (tx) => {
      class Point {
        constructor(
          readonly x: number,
          readonly y: number,
        ) {}
      }
      const sparse = [1, , 3];
      await tx.set("any/odd", {
        missing: undefined,
        nan: Number.NaN,
        inf: Infinity,
        negZero: -0,
        date: new Date(Date.UTC(2026, 0, 2)),
        point: new Point(1, 2),
        sparse,
        list: [undefined, () => 1],
      });
      await tx.set("any/undef", undefined);
    },
  },
  writeBigInt: {
    args: z.null(),
    run: async (tx) => tx.set("any/big", { n: BigInt(1) }),
  },
  editAfterWrite: {
    args: z.null(),
    run: async (tx) => {
      const value = { list: [1] };
      await tx.set("any/x", value);
      // The stored value is a copy: this edit must not reach it on either side.
      value.list.push(2);
      const read = await tx.get("any/x");
      await tx.set("any/y", read);
    },
  },
});

const state = {
  "todos/a": { id: "a", text: "A", done: false },
  "todos/b": { id: "b", text: "B", done: true },
};

async function both(name: string, args: unknown) {
  const client = await runOnClient(store, state, "u1", name, args);
  const server = await runOnServer(store, state, "u1", name, args);
  // Whatever the mutator did, neither side's base changed.
  expect(Object.fromEntries(client.store.baseEntries())).toEqual(state);
  expect(Object.fromEntries(server.cache.values.entries())).toEqual(state);
  await client.store.close();
  return {
    client: { writes: client.writes, error: client.error },
    server: { writes: server.writes, error: server.error },
  };
}

describe("one mutator engine on client and server", () => {
  it("fails an in-place edit of a read value alike, naming the mutator and the key", async () => {
    const { client, server } = await both("markDoneInPlace", "a");
    expect(client).toEqual(server);
    expect(client.error?.code).toBe("mutator_failed");
    expect(client.error?.message).toContain('Mutator "markDoneInPlace" edited a value it read in place');
    expect(client.error?.message).toContain('"todos/a"');
  });

  it("fails an in-place edit of a scanned value alike", async () => {
    const { client, server } = await both("scanEditsInPlace", null);
    expect(client).toEqual(server);
    expect(client.error?.message).toContain('Mutator "scanEditsInPlace"');
  });

  it("accepts the copy-then-write pattern alike", async () => {
    const { client, server } = await both("markDoneByCopy", "a");
    expect(client).toEqual(server);
    expect(client.writes).toEqual({ "todos/a": { id: "a", text: "A", done: true } });
  });

  it("runs update with immer on both sides: editing the draft and returning a value fails alike", async () => {
    const failed = await both("updateEditsAndReturns", "a");
    expect(failed.client).toEqual(failed.server);
    expect(failed.client.error).toBeDefined();
    const replaced = await both("updateReturns", "a");
    expect(replaced.client).toEqual(replaced.server);
    expect(replaced.client.writes).toEqual({ "todos/a": { id: "a", text: "returned", done: false } });
  });

  it("normalises written values to the same JSON on both sides", async () => {
    const { client, server } = await both("writeOdd", null);
    expect(client).toEqual(server);
    expect(client.writes).toEqual({
      "any/odd": {
        nan: null,
        inf: null,
        negZero: 0,
        date: "2026-01-02T00:00:00.000Z",
        point: { x: 1, y: 2 },
        sparse: [1, null, 3],
        list: [null, null],
      },
      "any/undef": null,
    });
    expect(Object.is((client.writes["any/odd"] as { negZero: number }).negZero, 0)).toBe(true);
    const big = await both("writeBigInt", null);
    expect(big.client).toEqual(big.server);
    expect(big.client.error?.code).toBe("invalid_value");
  });

  it("stores a copy of a written value on both sides", async () => {
    const { client, server } = await both("editAfterWrite", null);
    expect(client).toEqual(server);
    expect(client.writes).toEqual({ "any/x": { list: [1] }, "any/y": { list: [1] } });
  });
});
