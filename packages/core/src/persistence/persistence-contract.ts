/**
 * The contract every `PersistenceProvider` must meet, as a Vitest suite. Run it from each
 * implementation's test file: `runPersistenceContract("memory", () => memoryPersistence())`.
 */
import { describe, expect, it } from "vitest";
import type { PersistedMeta, PersistenceProvider } from "../kv/persistence.js";

const meta = (baseVersion: number): PersistedMeta => ({
  clientId: "c1",
  historyId: "h1",
  baseVersion,
  lastAcknowledgedId: baseVersion * 2,
});

/** Registers the persistence contract tests for `makeProvider`. */
export function runPersistenceContract(name: string, makeProvider: () => PersistenceProvider): void {
  describe(`persistence contract: ${name}`, () => {
    it("loads undefined before anything is written", async () => {
      const p = makeProvider().open(`empty-${Math.random()}`);
      expect(await p.load()).toBeUndefined();
    });

    it("applies batches incrementally and survives reopening", async () => {
      const provider = makeProvider();
      const dbName = `space/${Math.random()}`;
      const p = provider.open(dbName);
      await p.write({
        meta: meta(1),
        baseSet: [
          ["a", 1],
          ["b", { x: [1, 2] }],
          ["c", 3],
        ],
      });
      await p.write({ pendingPut: [1, 2, 3].map((id) => ({ id, name: "m", args: { id }, timestamp: id })) });
      await p.write({ meta: meta(2), baseDel: ["a"], baseSet: [["c", 30]], pendingDel: [1] });
      await p.close();
      const state = await provider.open(dbName).load();
      expect(state?.meta).toEqual(meta(2));
      expect(Object.fromEntries(state!.base)).toEqual({ b: { x: [1, 2] }, c: 30 });
      expect(state?.pending.map((m) => m.id)).toEqual([2, 3]);
      expect(state?.pending[0]).toEqual({ id: 2, name: "m", args: { id: 2 }, timestamp: 2 });
    });

    it("clears the base on resetBase before applying the batch's sets", async () => {
      const provider = makeProvider();
      const p = provider.open(`reset/${Math.random()}`);
      await p.write({
        meta: meta(1),
        baseSet: [
          ["a", 1],
          ["b", 2],
        ],
        pendingPut: [{ id: 1, name: "m", args: 0, timestamp: 0 }],
      });
      await p.write({ meta: meta(5), resetBase: true, baseSet: [["z", 26]] });
      const state = await p.load();
      expect(Object.fromEntries(state!.base)).toEqual({ z: 26 });
      expect(state?.pending).toHaveLength(1);
    });

    it("keeps stores of different names apart", async () => {
      const provider = makeProvider();
      const suffix = Math.random();
      await provider.open(`one/${suffix}`).write({ meta: meta(1), baseSet: [["k", "one"]] });
      await provider.open(`two/${suffix}`).write({ meta: meta(2), baseSet: [["k", "two"]] });
      expect((await provider.open(`one/${suffix}`).load())?.base).toEqual([["k", "one"]]);
      expect((await provider.open(`two/${suffix}`).load())?.base).toEqual([["k", "two"]]);
    });

    it("orders pending mutations by id and applies writes in call order", async () => {
      const p = makeProvider().open(`order/${Math.random()}`);
      const writes = [
        p.write({ meta: meta(1), pendingPut: [{ id: 10, name: "m", args: 0, timestamp: 0 }] }),
        p.write({ pendingPut: [{ id: 2, name: "m", args: 0, timestamp: 0 }], baseSet: [["k", 1]] }),
        p.write({ baseSet: [["k", 2]] }),
        p.write({ baseDel: ["k"] }),
        p.write({ baseSet: [["k", 3]] }),
      ];
      await Promise.all(writes);
      const state = await p.load();
      expect(state?.pending.map((m) => m.id)).toEqual([2, 10]);
      expect(state?.base).toEqual([["k", 3]]);
    });
  });
}
