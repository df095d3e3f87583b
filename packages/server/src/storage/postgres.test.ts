import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createTempDatabase, type TempDatabase } from "../../test/support/temp-postgres.js";
import { migratePostgres, POSTGRES_MIGRATIONS } from "./postgres-schema.js";
import { hashSpaceId, openPostgresStorage } from "./postgres.js";
import { prefixEnd } from "./postgres-reader.js";
import { runStorageContract } from "./storage-contract.js";
import type { Storage } from "./storage.js";
import { servicesReady } from "../../test/support/services.js";

const ready = await servicesReady("postgres");

describe.skipIf(!ready)("postgres storage (needs PostgreSQL)", () => {
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase();
  });
  afterAll(() => db.drop());

  // Every contract test gets an empty database: wipe the tables between them.
  runStorageContract("postgres", async () => {
    const storage = await openPostgresStorage({ connectionString: db.url, maxConnections: 4 });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(
      "TRUNCATE synced_store_spaces, synced_store_keys, synced_store_clients, synced_store_rejections",
    );
    await client.end();
    return storage;
  });

  describe("postgres storage", () => {
    it("applies each migration once, even when processes start together", async () => {
      await using fresh = await createTempDatabase();
      const pools = [1, 2, 3].map(() => new pg.Pool({ connectionString: fresh.url, max: 2 }));
      const ran = await Promise.all(pools.map((pool) => migratePostgres(pool)));
      expect(ran.flat()).toEqual(POSTGRES_MIGRATIONS.map((m) => m.id));
      const rows = await pools[0]!.query<{ id: number }>(
        "SELECT id FROM synced_store_migrations ORDER BY id",
      );
      expect(rows.rows.map((r) => r.id)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.id));
      expect(await migratePostgres(pools[0]!)).toEqual([]);
      await Promise.all(pools.map((pool) => pool.end()));
    });

    it("never reuses a version when two storage instances push to one space concurrently", async () => {
      const a = await openPostgresStorage({ connectionString: db.url, maxConnections: 3 });
      const b = await openPostgresStorage({ connectionString: db.url, maxConnections: 3 });
      const seen: number[] = [];
      // Each commit appends its version under its own key and bumps a counter: a reused version or
      // a lost update between the two instances shows up as a duplicate or a short count.
      const push = (storage: Storage, who: string, i: number) =>
        storage.transact("race/1", async (tx) => {
          const version = (await tx.head()).version + 1;
          const counter = await tx.get("counter");
          const n = typeof counter?.value === "number" ? counter.value : 0;
          await tx.putKeys(version, [
            { key: "counter", deleted: false, value: n + 1 },
            { key: `by/${who}/${i}`, deleted: false, value: version },
          ]);
          await tx.putClients([{ clientId: who, userId: "u", lastMutationId: i, version }]);
          await tx.setVersion(version);
          seen.push(version);
        });
      const rounds = 40;
      await Promise.all(
        Array.from({ length: rounds }, (_, i) => [push(a, "a", i + 1), push(b, "b", i + 1)]).flat(),
      );
      expect(new Set(seen).size).toBe(2 * rounds);
      await a.read("race/1", async (r) => {
        expect((await r.head())?.version).toBe(2 * rounds);
        expect((await r.get("counter"))?.value).toBe(2 * rounds);
        const versions = (await r.scan({ prefix: "by/" })).map((row) => row.value as number);
        expect(versions.sort((x, y) => x - y)).toEqual(Array.from({ length: 2 * rounds }, (_, i) => i + 1));
      });
      await Promise.all([a.close(), b.close()]);
    });

    it("reads one snapshot while another instance commits", async () => {
      const a = await openPostgresStorage({ connectionString: db.url, maxConnections: 2 });
      const b = await openPostgresStorage({ connectionString: db.url, maxConnections: 2 });
      await a.transact("snap/1", async (tx) => {
        await tx.putKeys(1, [{ key: "x", deleted: false, value: 1 }]);
        await tx.setVersion(1);
      });
      const result = await a.read("snap/1", async (r) => {
        const before = await r.get("x");
        await b.transact("snap/1", async (tx) => {
          await tx.putKeys(2, [{ key: "x", deleted: false, value: 2 }]);
          await tx.setVersion(2);
        });
        return { before: before?.value, after: (await r.get("x"))?.value, head: (await r.head())?.version };
      });
      expect(result).toEqual({ before: 1, after: 1, head: 1 });
      expect(await b.read("snap/1", async (r) => (await r.get("x"))?.value)).toBe(2);
      await Promise.all([a.close(), b.close()]);
    });

    it("refuses keys PostgreSQL cannot hold, and commits nothing", async () => {
      const storage = await openPostgresStorage({ connectionString: db.url, maxConnections: 1 });
      await expect(
        storage.transact("nul/1", (tx) => tx.putKeys(1, [{ key: "a\0b", deleted: false, value: 1 }])),
      ).rejects.toThrow(/U\+0000/);
      expect(await storage.read("nul/1", (r) => r.head())).toBeUndefined();
      await storage.close();
    });

    it("computes exclusive upper bounds of prefixes in code point order", () => {
      expect(prefixEnd("")).toBeNull();
      expect(prefixEnd("a/")).toBe("a0");
      expect(prefixEnd("a\u{10ffff}")).toBe("b");
      expect(prefixEnd("\u{10ffff}")).toBeNull();
      expect(prefixEnd("x\ud7ff")).toBe("x\ue000");
      expect(hashSpaceId("todo/1")).not.toBe(hashSpaceId("todo/2"));
      expect(Number.isInteger(hashSpaceId("todo/1"))).toBe(true);
    });
  });

  describe("postgres storage and a failing database", () => {
    const terminate = async (applicationName: string) => {
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      try {
        const r = await admin.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1",
          [applicationName],
        );
        return r.rowCount ?? 0;
      } finally {
        await admin.end();
      }
    };

    it("goes on after the database drops its connections, and the lock dies with them", async () => {
      const pool = new pg.Pool({ connectionString: db.url, max: 2, application_name: "storage-under-test" });
      pool.on("error", () => undefined);
      const storage = await openPostgresStorage({ pool });
      const bump = (value: number) =>
        storage.transact("drop/1", async (tx) => {
          const version = (await tx.head()).version + 1;
          await tx.putKeys(version, [{ key: "n", deleted: false, value }]);
          await tx.setVersion(version);
        });
      await bump(1);
      expect(await terminate("storage-under-test")).toBeGreaterThan(0);
      await bump(2);
      // Killed in the middle of a transaction holding the space's lock: that one fails, nothing of
      // it commits, and the space is free for the next one.
      await expect(
        storage.transact("drop/1", async (tx) => {
          await tx.putKeys(3, [{ key: "n", deleted: false, value: 99 }]);
          await tx.setVersion(3);
          await terminate("storage-under-test");
          await tx.scan();
        }),
      ).rejects.toThrow();
      await bump(3);
      await storage.read("drop/1", async (r) => {
        expect((await r.head())?.version).toBe(3);
        expect((await r.get("n"))?.value).toBe(3);
      });
      await storage.close();
      await pool.end();
    });

    it("aborts a transaction left idle past the timeout, freeing the space", async () => {
      const hung = await openPostgresStorage({
        connectionString: db.url,
        maxConnections: 1,
        idleTransactionTimeoutMs: 200,
      });
      const other = await openPostgresStorage({ connectionString: db.url, maxConnections: 1 });
      let release: () => void = () => undefined;
      let locked: () => void = () => undefined;
      const holding = new Promise<void>((resolve) => (locked = resolve));
      const stuck = hung.transact("hang/1", async (tx) => {
        await tx.head();
        const released = new Promise<void>((resolve) => (release = resolve));
        locked();
        await released;
        await tx.putKeys(1, [{ key: "late", deleted: false, value: 1 }]);
      });
      await holding;
      // The other process gets the space once the database has aborted the hung transaction.
      await other.transact("hang/1", async (tx) => {
        await tx.putKeys(1, [{ key: "k", deleted: false, value: "other" }]);
        await tx.setVersion(1);
      });
      release();
      await expect(stuck).rejects.toThrow();
      expect(await other.read("hang/1", async (r) => (await r.snapshot()).map((row) => row.key))).toEqual([
        "k",
      ]);
      await Promise.all([hung.close(), other.close()]);
    });
  });
});
