import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Storage, StorageTransaction } from "./storage.js";

/**
 * The Vitest suite every `Storage` implementation runs:
 * `runStorageContract("sqlite", () => openSqliteStorage({ path }))`.
 * `makeStorage` returns a fresh, empty storage each time; the suite closes it.
 */
export function runStorageContract(name: string, makeStorage: () => Storage | Promise<Storage>): void {
  describe(`storage contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await makeStorage();
    });
    afterEach(async () => {
      await storage.close();
    });

    /** Commits one batch the way the engine does. */
    const commit = (space: string, fn: (tx: StorageTransaction, version: number) => Promise<void>) =>
      storage.transact(space, async (tx) => {
        const version = (await tx.head()).version + 1;
        await fn(tx, version);
        await tx.setVersion(version);
        return version;
      });

    it("reports each durable commit to onCommit listeners, when it has them", async () => {
      if (storage.onCommit === undefined) return;
      const seen: number[] = [];
      const stop = storage.onCommit((c) => seen.push(c.transactions));
      await commit("s/1", (tx, v) => tx.putKeys(v, [{ key: "a", deleted: false, value: 1 }]));
      expect(seen.length).toBeGreaterThanOrEqual(1);
      expect(seen.every((n) => n >= 1)).toBe(true);
      stop();
      const before = seen.length;
      await commit("s/1", (tx, v) => tx.putKeys(v, [{ key: "a", deleted: false, value: 2 }]));
      expect(seen).toHaveLength(before);
    });

    it("creates a space on its first transaction, and only then", async () => {
      expect(await storage.read("s/1", (r) => r.head())).toBeUndefined();
      const head = await storage.transact("s/1", (tx) => tx.head());
      expect(head.version).toBe(0);
      expect(head.horizon).toBe(0);
      expect(head.schemaVersion).toBe(0);
      expect(head.historyId.length).toBeGreaterThan(0);
      expect(await storage.read("s/1", (r) => r.head())).toEqual(head);
      const other = await storage.transact("s/2", (tx) => tx.head());
      expect(other.historyId).not.toBe(head.historyId);
    });

    it("records the schema version of a space's data atomically with its writes", async () => {
      await storage.transact("s/1", async (tx) => {
        await tx.setSchemaVersion(3);
        await tx.putKeys(1, [{ key: "k", deleted: false, value: 1 }]);
        await tx.setVersion(1);
      });
      expect(await storage.read("s/1", (r) => r.head())).toMatchObject({ version: 1, schemaVersion: 3 });
      await expect(
        storage.transact("s/1", async (tx) => {
          await tx.setSchemaVersion(4);
          throw new Error("rolled back");
        }),
      ).rejects.toThrow("rolled back");
      expect((await storage.read("s/1", (r) => r.head()))?.schemaVersion).toBe(3);
      // A later version bump keeps it.
      await storage.transact("s/1", (tx) => tx.setVersion(2));
      expect(await storage.read("s/1", (r) => r.head())).toMatchObject({ version: 2, schemaVersion: 3 });
    });

    it("lists the stored spaces under a prefix, in order", async () => {
      for (const id of ["b/2", "a/1", "b/1", "bb/1"]) await storage.transact(id, (tx) => tx.head());
      expect(await storage.spaces("b/")).toEqual(["b/1", "b/2"]);
      expect(await storage.spaces("")).toEqual(["a/1", "b/1", "b/2", "bb/1"]);
      expect(await storage.spaces("c/")).toEqual([]);
    });

    it("stores values with their versions and returns equal JSON", async () => {
      const value = { a: [1, "two", null, { b: true }], n: -1.5, s: "é\u2028" };
      const v = await commit("s/1", (tx, version) =>
        tx.putKeys(version, [
          { key: "k/1", deleted: false, value },
          { key: "k/0", deleted: false, value: null },
        ]),
      );
      expect(v).toBe(1);
      await storage.read("s/1", async (r) => {
        expect(await r.get("k/1")).toEqual({ key: "k/1", value, version: 1 });
        expect(await r.get("k/0")).toEqual({ key: "k/0", value: null, version: 1 });
        expect(await r.get("k/2")).toBeUndefined();
        expect((await r.head())?.version).toBe(1);
      });
    });

    it("scans in key order with prefix, start and limit, skipping tombstones", async () => {
      await commit("s/1", (tx, v) =>
        tx.putKeys(
          v,
          ["b/2", "a/1", "b/1", "b/3", "c/1", "b/10"].map((key) => ({ key, deleted: false, value: key })),
        ),
      );
      await commit("s/1", (tx, v) => tx.putKeys(v, [{ key: "b/2", deleted: true }]));
      await storage.read("s/1", async (r) => {
        const keys = async (o?: Parameters<typeof r.scan>[0]) => (await r.scan(o)).map((row) => row.key);
        expect(await keys()).toEqual(["a/1", "b/1", "b/10", "b/3", "c/1"]);
        expect(await keys({ prefix: "b/" })).toEqual(["b/1", "b/10", "b/3"]);
        expect(await keys({ prefix: "b/", start: "b/10" })).toEqual(["b/10", "b/3"]);
        expect(await keys({ prefix: "b/", limit: 2 })).toEqual(["b/1", "b/10"]);
        expect(await keys({ start: "b/5" })).toEqual(["c/1"]);
        expect((await r.snapshot()).map((row) => row.key)).toEqual(["a/1", "b/1", "b/10", "b/3", "c/1"]);
      });
    });

    it("returns exactly the changes since a version, tombstones included", async () => {
      await commit("s/1", (tx, v) =>
        tx.putKeys(v, [
          { key: "a", deleted: false, value: 1 },
          { key: "b", deleted: false, value: 1 },
        ]),
      );
      await commit("s/1", (tx, v) =>
        tx.putKeys(v, [
          { key: "b", deleted: true },
          { key: "c", deleted: false, value: 2 },
        ]),
      );
      await commit("s/1", (tx, v) => tx.putKeys(v, [{ key: "a", deleted: false, value: 3 }]));
      await storage.read("s/1", async (r) => {
        expect(await r.changesSince(3)).toEqual([]);
        expect(await r.changesSince(2)).toEqual([{ key: "a", version: 3, deleted: false, value: 3 }]);
        expect(await r.changesSince(1)).toEqual([
          { key: "a", version: 3, deleted: false, value: 3 },
          { key: "b", version: 2, deleted: true },
          { key: "c", version: 2, deleted: false, value: 2 },
        ]);
        expect((await r.changesSince(0)).length).toBe(3);
        expect(await r.get("b")).toBeUndefined();
      });
    });

    it("keeps client rows with their user and version, filtered by user and version", async () => {
      await commit("s/1", (tx, v) =>
        tx.putClients([
          { clientId: "c2", userId: "u2", lastMutationId: 4, version: v },
          { clientId: "c1", userId: "u1", lastMutationId: 7, version: v },
        ]),
      );
      await commit("s/1", (tx, v) =>
        tx.putClients([{ clientId: "c1", userId: "u1", lastMutationId: 9, version: v }]),
      );
      await storage.read("s/1", async (r) => {
        expect(await r.getClient("c1")).toEqual({
          clientId: "c1",
          userId: "u1",
          lastMutationId: 9,
          version: 2,
        });
        expect(await r.getClient("nope")).toBeUndefined();
        expect((await r.clients()).map((c) => c.clientId)).toEqual(["c1", "c2"]);
        expect((await r.clients({ userId: "u2" })).map((c) => c.clientId)).toEqual(["c2"]);
        expect((await r.clients({ sinceVersion: 1 })).map((c) => c.clientId)).toEqual(["c1"]);
      });
      expect(await storage.read("s/2", (r) => r.getClient("c1"))).toBeUndefined();
    });

    it("answers the same with a changesSince hint, in reads and transactions, after own writes too", async () => {
      await commit("s/1", async (tx, v) => {
        await tx.putKeys(v, [{ key: "a", deleted: false, value: 1 }]);
        await tx.putClients([{ clientId: "c1", userId: "u1", lastMutationId: 1, version: v }]);
      });
      await commit("s/1", async (tx, v) => {
        await tx.putKeys(v, [
          { key: "a", deleted: true },
          { key: "b", deleted: false, value: "it's \\ 'quoted'" },
        ]);
        await tx.putClients([{ clientId: "c2", userId: "u2", lastMutationId: 5, version: v }]);
      });
      const since1 = async (r: Pick<StorageTransaction, "changesSince" | "clients">) => ({
        changes: await r.changesSince(1),
        clients: await r.clients({ sinceVersion: 1 }),
        again: await r.changesSince(1),
        other: await r.changesSince(0),
      });
      const plain = await storage.read("s/1", since1);
      expect(plain.changes).toEqual([
        { key: "a", version: 2, deleted: true },
        { key: "b", version: 2, deleted: false, value: "it's \\ 'quoted'" },
      ]);
      expect(plain.clients.map((c) => c.clientId)).toEqual(["c2"]);
      expect(await storage.read("s/1", since1, { changesSince: 1 })).toEqual(plain);
      expect(await storage.read("s/1", since1, { changesSince: 0 })).toEqual(plain);
      expect(await storage.transact("s/1", since1, { changesSince: 1 })).toEqual(plain);
      // A write inside the transaction after the hint: reads include it.
      const after = await storage.transact(
        "s/1",
        async (tx) => {
          await tx.putKeys(3, [{ key: "c", deleted: false, value: 3 }]);
          await tx.putClients([{ clientId: "c3", userId: "u3", lastMutationId: 1, version: 3 }]);
          await tx.setVersion(3);
          return {
            changes: (await tx.changesSince(1)).map((c) => c.key),
            clients: (await tx.clients({ sinceVersion: 1 })).map((c) => c.clientId),
          };
        },
        { changesSince: 1 },
      );
      expect(after).toEqual({ changes: ["a", "b", "c"], clients: ["c2", "c3"] });
      expect(await storage.read("s/1", (r) => r.get("c"))).toEqual({ key: "c", value: 3, version: 3 });
    });

    it("keeps transactions of several spaces started together apart; one that throws rolls back alone", async () => {
      for (const [space, n] of [
        ["g/1", 1],
        ["g/2", 2],
        ["g/3", 3],
      ] as const) {
        for (let i = 0; i < n; i++) {
          await commit(space, (tx, v) => tx.putKeys(v, [{ key: `k${i}`, deleted: false, value: space }]));
        }
      }
      const boom = new Error("boom");
      const seen = await Promise.allSettled(
        (["g/1", "g/2", "g/3", "g/4"] as const).map((space) =>
          storage.transact(
            space,
            async (tx) => {
              const head = await tx.head();
              const keys = (await tx.changesSince(0)).map((c) => c.key);
              await tx.putKeys(head.version + 1, [{ key: "last", deleted: false, value: space }]);
              await tx.setVersion(head.version + 1);
              if (space === "g/2") throw boom;
              return { version: head.version, keys };
            },
            { changesSince: 0 },
          ),
        ),
      );
      expect(seen).toEqual([
        { status: "fulfilled", value: { version: 1, keys: ["k0"] } },
        { status: "rejected", reason: boom },
        { status: "fulfilled", value: { version: 3, keys: ["k0", "k1", "k2"] } },
        { status: "fulfilled", value: { version: 0, keys: [] } },
      ]);
      const last = (space: string) => storage.read(space, async (r) => (await r.get("last"))?.value);
      expect(await Promise.all(["g/1", "g/2", "g/3", "g/4"].map(last))).toEqual([
        "g/1",
        undefined,
        "g/3",
        "g/4",
      ]);
    });

    it("lists a client row of version 0 (admitted before any commit) unless a version is asked", async () => {
      await storage.transact("s/1", async (tx) => {
        await tx.head();
        await tx.putClients([{ clientId: "c0", userId: "u1", lastMutationId: 0, version: 0 }]);
      });
      await storage.read("s/1", async (r) => {
        expect((await r.clients()).map((c) => c.clientId)).toEqual(["c0"]);
        expect((await r.clients({ userId: "u1" })).map((c) => c.clientId)).toEqual(["c0"]);
        expect(await r.clients({ userId: "u2" })).toEqual([]);
        expect(await r.clients({ sinceVersion: 0 })).toEqual([]);
      });
    });

    it("rolls back everything when the callback throws", async () => {
      await commit("s/1", (tx, v) => tx.putKeys(v, [{ key: "a", deleted: false, value: 1 }]));
      const boom = new Error("boom");
      await expect(
        commit("s/1", async (tx, v) => {
          await tx.putKeys(v, [
            { key: "a", deleted: false, value: 2 },
            { key: "b", deleted: false, value: 2 },
          ]);
          await tx.putClients([{ clientId: "c", userId: "u", lastMutationId: 1, version: v }]);
          throw boom;
        }),
      ).rejects.toBe(boom);
      await storage.read("s/1", async (r) => {
        expect((await r.head())?.version).toBe(1);
        expect((await r.get("a"))?.value).toBe(1);
        expect(await r.get("b")).toBeUndefined();
        expect(await r.getClient("c")).toBeUndefined();
      });
      await expect(storage.transact("s/9", () => Promise.reject(boom))).rejects.toBe(boom);
      expect(await storage.read("s/9", (r) => r.head())).toBeUndefined();
    });

    it("sees its own writes inside a transaction", async () => {
      await storage.transact("s/1", async (tx) => {
        await tx.putKeys(1, [{ key: "a", deleted: false, value: "x" }]);
        await tx.setVersion(1);
        expect((await tx.get("a"))?.value).toBe("x");
        expect((await tx.head()).version).toBe(1);
      });
    });

    it("serializes transactions of one space and isolates spaces", async () => {
      // Each transaction reads a counter, yields, then writes counter + 1: lost updates show overlap.
      const bump = (space: string) =>
        storage.transact(space, async (tx) => {
          const row = await tx.get("n");
          const n = typeof row?.value === "number" ? row.value : 0;
          await new Promise((resolve) => setTimeout(resolve, 1));
          const version = (await tx.head()).version + 1;
          await tx.putKeys(version, [{ key: "n", deleted: false, value: n + 1 }]);
          await tx.setVersion(version);
        });
      await Promise.all([
        ...Array.from({ length: 20 }, () => bump("s/a")),
        ...Array.from({ length: 5 }, () => bump("s/b")),
      ]);
      expect(await storage.read("s/a", async (r) => (await r.get("n"))?.value)).toBe(20);
      expect(await storage.read("s/b", async (r) => (await r.get("n"))?.value)).toBe(5);
      expect(await storage.read("s/a", async (r) => (await r.head())?.version)).toBe(20);
    });

    it("collects tombstones up to the horizon and raises it", async () => {
      await commit("s/1", (tx, v) =>
        tx.putKeys(v, [
          { key: "a", deleted: false, value: 1 },
          { key: "b", deleted: false, value: 1 },
        ]),
      );
      await commit("s/1", (tx, v) => tx.putKeys(v, [{ key: "a", deleted: true }]));
      await commit("s/1", (tx, v) => tx.putKeys(v, [{ key: "b", deleted: true }]));
      await storage.transact("s/1", (tx) => tx.collectTombstones(2));
      await storage.read("s/1", async (r) => {
        expect((await r.head())?.horizon).toBe(2);
        expect(await r.changesSince(2)).toEqual([{ key: "b", version: 3, deleted: true }]);
        expect(await r.changesSince(0)).toEqual([{ key: "b", version: 3, deleted: true }]);
      });
      await storage.transact("s/1", (tx) => tx.collectTombstones(1));
      expect(await storage.read("s/1", async (r) => (await r.head())?.horizon)).toBe(2);
    });

    it("handles keys with prefix-like characters literally", async () => {
      const keys = ["a%", "a_", "a\\", "a%b", "a'", "$$pu/u1/x", "$$so/y"];
      await commit("s/1", (tx, v) =>
        tx.putKeys(
          v,
          keys.map((key) => ({ key, deleted: false, value: key })),
        ),
      );
      await storage.read("s/1", async (r) => {
        expect((await r.scan({ prefix: "a%" })).map((row) => row.key)).toEqual(["a%", "a%b"]);
        expect((await r.scan({ prefix: "a_" })).map((row) => row.key)).toEqual(["a_"]);
        expect((await r.scan({ prefix: "$$pu/" })).map((row) => row.key)).toEqual(["$$pu/u1/x"]);
        for (const key of keys) expect((await r.get(key))?.value).toBe(key);
      });
    });

    it("stores rejections per client, keeping the newest, when it supports them (both methods or neither)", async () => {
      const canRead = await storage.read("s/1", (r) => Promise.resolve(typeof r.rejections === "function"));
      const canWrite = await storage.transact("s/1", (tx) =>
        Promise.resolve(typeof tx.putRejections === "function"),
      );
      expect(canRead).toBe(canWrite);
      if (!canWrite) return;
      const row = (clientId: string, mutationId: number) => ({
        clientId,
        mutationId,
        code: "mutator_failed",
        message: `m${mutationId}`,
      });
      const keep = (perClient: number) => ({
        perClient,
        perClientBytes: 1_000_000,
        perSpace: 1_000_000,
        perSpaceBytes: 1_000_000,
      });
      await storage.transact("s/1", (tx) =>
        tx.putRejections!(1, [row("c1", 1), row("c1", 2), row("c2", 5)], keep(2)),
      );
      await storage.transact("s/1", (tx) => tx.putRejections!(2, [row("c1", 3)], keep(2)));
      await expect(
        storage.transact("s/1", async (tx) => {
          await tx.putRejections!(3, [row("c1", 4)], keep(2));
          throw new Error("rolled back");
        }),
      ).rejects.toThrow("rolled back");
      await storage.read("s/1", async (r) => {
        expect(await r.rejections!("c1", 0)).toEqual([row("c1", 2), row("c1", 3)]);
        expect(await r.rejections!("c1", 2)).toEqual([row("c1", 3)]);
        expect(await r.rejections!("c2", 4)).toEqual([row("c2", 5)]);
        expect(await r.rejections!("c3", 0)).toEqual([]);
      });
      expect(await storage.read("s/2", (r) => r.rejections!("c1", 0))).toEqual([]);
    });

    it("commits rejections with the batch's keys, and a transaction reads its own", async () => {
      const supported = await storage.transact("s/1", (tx) =>
        Promise.resolve(tx.putRejections !== undefined),
      );
      if (!supported) return;
      const row = (mutationId: number) => ({
        clientId: "c",
        mutationId,
        code: "invalid_args",
        message: "no",
      });
      const bounds = { perClient: 2, perClientBytes: 10_000, perSpace: 100, perSpaceBytes: 10_000 };
      const ownRead = await commit("s/1", async (tx, v) => {
        await tx.putKeys(v, [{ key: "k", deleted: false, value: v }]);
        await tx.putClients([{ clientId: "c", userId: "u", lastMutationId: 3, version: v }]);
        await tx.putRejections!(v, [row(1), row(2), row(3)], bounds);
        // Collected to the bounds already: the transaction reads what will be committed.
        expect(await tx.rejections!("c", 0)).toEqual([row(2), row(3)]);
        await tx.putRejections!(v, [row(4)], bounds);
        expect(await tx.rejections!("c", 2)).toEqual([row(3), row(4)]);
      });
      expect(ownRead).toBe(1);
      await storage.read("s/1", async (r) => {
        expect(await r.get("k")).toMatchObject({ value: 1 });
        expect(await r.rejections!("c", 0)).toEqual([row(3), row(4)]);
      });
    });

    it("keeps the rejections of concurrent transactions on several spaces apart, none of one that throws", async () => {
      const supported = await storage.transact("s/1", (tx) =>
        Promise.resolve(tx.putRejections !== undefined),
      );
      if (!supported) return;
      const row = (clientId: string, mutationId: number) => ({
        clientId,
        mutationId,
        code: "mutator_failed",
        message: `${clientId}/${mutationId}`,
      });
      const bounds = (perSpace: number) => ({
        perClient: 100,
        perClientBytes: 10_000,
        perSpace,
        perSpaceBytes: 10_000,
      });
      // Queued in one tick: backends that group commits put them in one group.
      const results = await Promise.allSettled(
        [1, 2, 3].map((n) =>
          commit(`g/${n}`, async (tx, v) => {
            await tx.putKeys(v, [{ key: "k", deleted: false, value: n }]);
            await tx.putRejections!(v, [row("a", 1), row("a", 2), row("b", 1)], bounds(n));
            if (n === 2) throw new Error("rolled back");
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      const kept = (space: string) =>
        storage.read(space, async (r) => [
          ...(await r.rejections!("a", 0)),
          ...(await r.rejections!("b", 0)),
        ]);
      // Each space within its own bounds: of the batch's rows, ordered by client id then newest first.
      expect(await kept("g/1")).toEqual([row("a", 2)]);
      expect(await kept("g/2")).toEqual([]);
      expect(await storage.read("g/2", (r) => r.get("k"))).toBeUndefined();
      expect(await kept("g/3")).toEqual([row("a", 1), row("a", 2), row("b", 1)]);
    });

    it("collects stored rejections past the per-client and per-space bounds in counts and bytes", async () => {
      const supported = await storage.transact("s/1", (tx) =>
        Promise.resolve(tx.putRejections !== undefined),
      );
      if (!supported) return;
      const row = (clientId: string, mutationId: number, message = "m") => ({
        clientId,
        mutationId,
        code: "mutator_failed",
        message,
      });
      const bounds = { perClient: 100, perClientBytes: 10_000, perSpace: 3, perSpaceBytes: 10_000 };
      for (let v = 1; v <= 4; v++) {
        await storage.transact("s/1", (tx) => tx.putRejections!(v, [row(`c${v}`, 1)], bounds));
      }
      // Over the space's count: the oldest version's client goes first.
      await storage.read("s/1", async (r) => {
        expect(await r.rejections!("c1", 0)).toEqual([]);
        for (const c of ["c2", "c3", "c4"]) expect(await r.rejections!(c, 0)).toEqual([row(c, 1)]);
      });
      // Bytes: one 900-byte message of c5 (with "é", 2 bytes each) leaves room for nothing older.
      const big = "é".repeat(450);
      await storage.transact("s/1", (tx) =>
        tx.putRejections!(5, [row("c5", 1, big)], { ...bounds, perSpaceBytes: 960 }),
      );
      await storage.read("s/1", async (r) => {
        expect(await r.rejections!("c5", 0)).toEqual([row("c5", 1, big)]);
        for (const c of ["c2", "c3", "c4"]) expect(await r.rejections!(c, 0)).toEqual([]);
      });
      // Per client in bytes: two 32-byte rows fit in 70 bytes; the third pushes out the first.
      const perClientBytes = { ...bounds, perSpace: 100, perClientBytes: 70 };
      await storage.transact("s/2", (tx) =>
        tx.putRejections!(1, [row("c", 1, "x"), row("c", 2, "x"), row("c", 3, "x")], perClientBytes),
      );
      expect(await storage.read("s/2", (r) => r.rejections!("c", 0))).toEqual([
        row("c", 2, "x"),
        row("c", 3, "x"),
      ]);
    });
  });
}
