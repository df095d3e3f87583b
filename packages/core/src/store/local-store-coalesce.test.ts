import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { memoryPersistence } from "../persistence/memory-persistence.js";
import { defineStore } from "../schema/define-store.js";
import { LocalStore } from "./local-store.js";

const Shape = z.object({ x: z.number(), y: z.number() });
const def = defineStore({ name: "board", keys: { "shapes/*": Shape, "cursors/*": Shape } }).mutators({
  moveShape: {
    args: z.object({ id: z.string(), x: z.number(), y: z.number() }),
    run: (tx, a) => tx.set(`shapes/${a.id}`, { x: a.x, y: a.y }),
    coalesce: (a) => `shape/${a.id}`,
  },
  moveCursor: {
    args: z.object({ user: z.string(), x: z.number(), y: z.number() }),
    run: (tx, a) => tx.set(`cursors/${a.user}`, { x: a.x, y: a.y }),
    coalesce: (a) => `cursor/${a.user}`,
  },
  deleteShape: { args: z.object({ id: z.string() }), run: (tx, a) => void tx.del(`shapes/${a.id}`) },
});

function open(persistence = memoryPersistence()) {
  const store = new LocalStore({
    definition: def,
    userId: "u",
    clientId: "c",
    persistence: persistence.open("p"),
  });
  return { store, persistence };
}

describe("coalescing in LocalStore", () => {
  it("turns a drag into one mutation per push, with gap-free ids, and keeps the last position", async () => {
    const { store, persistence } = open();
    await store.ready;
    const ids: number[] = [];
    const pushed: number[][] = [];
    for (let frame = 0; frame < 5; frame++) {
      for (let i = 0; i < 200; i++) {
        const x = frame * 200 + i;
        const { id } = await store.mutate("moveShape", { id: "a", x, y: 0 });
        ids.push(id);
        // Cursor moves interleave with the drag and coalesce too.
        await store.mutate("moveCursor", { user: "u", x, y: 0 });
      }
      // The sync layer takes what is pending (one push per frame).
      pushed.push(store.pendingMutations(pushed.flat().at(-1) ?? 0).map((m) => m.id));
    }
    expect(pushed).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
      [9, 10],
    ]);
    expect(new Set(ids)).toEqual(new Set([1, 3, 5, 7, 9]));
    expect(store.pendingCount()).toBe(10);
    const last = store.pendingMutations(0).filter((m) => m.name === "moveShape");
    expect(last.map((m) => (m.args as { x: number }).x)).toEqual([199, 399, 599, 799, 999]);
    expect(await store.readTransaction().get("shapes/a")).toEqual({ x: 999, y: 0 });

    // The persisted queue holds the coalesced args too.
    await store.close();
    const reopened = open(persistence).store;
    await reopened.ready;
    expect(reopened.pendingMutations(0).map((m) => m.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await reopened.readTransaction().get("shapes/a")).toEqual({ x: 999, y: 0 });
  });

  it("does not coalesce across a mutation that does not coalesce", async () => {
    const { store } = open();
    await store.ready;
    await store.mutate("moveShape", { id: "a", x: 1, y: 1 });
    await store.mutate("deleteShape", { id: "a" });
    const { id } = await store.mutate("moveShape", { id: "a", x: 2, y: 2 });
    expect(id).toBe(3);
    expect(await store.readTransaction().get("shapes/a")).toEqual({ x: 2, y: 2 });
  });

  it("resolves one confirmation for the calls merged into one mutation", async () => {
    const { store } = open();
    await store.ready;
    const first = await store.mutate("moveShape", { id: "a", x: 1, y: 1 });
    const second = await store.mutate("moveShape", { id: "a", x: 2, y: 2 });
    expect(second.id).toBe(first.id);
    await store.applyServerUpdate({
      minIncludedVersion: 1,
      maxIncludedVersion: 1,
      patches: [{ op: "set", key: "shapes/a", value: { x: 2, y: 2 } }],
      lastMutationId: 1,
    });
    await expect(Promise.all([first.confirmed, second.confirmed])).resolves.toEqual([undefined, undefined]);
  });

  it("shows the same state as without coalescing, for any drag and push pattern", async () => {
    // Random streams of moves on 3 shapes and 2 cursors, with pushes at random points.
    const step = fc.oneof(
      fc.record({ kind: fc.constant("shape" as const), id: fc.constantFrom("a", "b", "c"), x: fc.integer() }),
      fc.record({ kind: fc.constant("cursor" as const), id: fc.constantFrom("u", "v"), x: fc.integer() }),
      fc.constant({ kind: "push" as const }),
    );
    const seed = Date.now();
    console.log(`coalescing property seed: ${seed}`);
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 60 }), async (steps) => {
        const { store } = open();
        const plain = new Map<string, unknown>();
        let sent = 0;
        await store.ready;
        for (const s of steps) {
          if (s.kind === "push") {
            sent = store.pendingMutations(sent).at(-1)?.id ?? sent;
          } else if (s.kind === "shape") {
            await store.mutate("moveShape", { id: s.id, x: s.x, y: 0 });
            plain.set(`shapes/${s.id}`, { x: s.x, y: 0 });
          } else {
            await store.mutate("moveCursor", { user: s.id, x: s.x, y: 0 });
            plain.set(`cursors/${s.id}`, { x: s.x, y: 0 });
          }
        }
        const ids = store.localPendingMutations().map((m) => m.id);
        expect(ids).toEqual(ids.map((_, i) => i + 1));
        const entries = await store.readTransaction().scan();
        expect(new Map(entries.map((e) => [e.key, e.value]))).toEqual(plain);
      }),
      { seed, numRuns: 100 },
    );
  });
});
