import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineStore } from "@synced-store/core";
import type { PullResponseMessage } from "@synced-store/core/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { todoV1, todoV2 } from "../../../core/test/todo-versions.js";
import { servicesReady } from "../../test/support/services.js";
import { createTempDatabase } from "../../test/support/temp-postgres.js";
import { openPostgresStorage } from "../storage/postgres.js";
import { openSqliteStorage } from "../storage/sqlite.js";
import type { Storage } from "../storage/storage.js";
import { createSyncServer } from "../sync-server.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

/** v2 of the test store with a data migration that must run once: it adds 100 to the counter. */
const todoV2Counted = defineStore({
  name: "vtodo",
  version: 2,
  keys: todoV2.keys,
  upgrades: {
    2: {
      ...todoV2.upgrades[2],
      migrate: async (tx) =>
        tx.set("counter", (((await tx.get("counter")) as number | undefined) ?? 0) + 100),
    },
  },
}).mutators(todoV2.mutatorDefs);

/** One storage shared by servers started one after another; the test closes it. */
function kept(storage: Storage): Storage {
  return { ...storage, close: () => Promise.resolve() };
}

const servers: TestServer[] = [];
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(definition: typeof todoV1 | typeof todoV2Counted, storage: Storage) {
  const t = await startTestServer({ stores: [definition], storage: kept(storage) });
  servers.push(t);
  return t;
}

/** Writes two todos and the counter with a v1 server. */
async function seedV1(storage: Storage) {
  const t = await start(todoV1, storage);
  const c = await t.client();
  await c.connect({ space: "vtodo/1", clientId: "c1", auth: "ann", schemaVersion: 1 });
  c.send({
    type: "push",
    client_id: "c1",
    mutations: [
      { id: 1, name: "addTodo", args: { id: "a", text: "A" }, timestamp: 1 },
      { id: 2, name: "addTodo", args: { id: "b", text: "B" }, timestamp: 1 },
      { id: 3, name: "increment", args: 1, timestamp: 1 },
    ],
  });
  await c.waitFor((m) => m.type === "poke" && m.client_id_to_last_mutation_id.c1 === 3);
  servers.splice(servers.indexOf(t), 1);
  await t.close();
}

async function pull(t: TestServer, schemaVersion: number): Promise<Record<string, unknown>> {
  const c = await t.client();
  const clientId = `reader-${schemaVersion}-${Math.random().toString(36).slice(2)}`;
  expect((await c.connect({ space: "vtodo/1", clientId, auth: "bob", schemaVersion })).type).toBe(
    "connected",
  );
  const from = c.messages.length;
  c.send({ type: "pull", client_id: clientId, base_version: 0 });
  const response = await c.waitFor((m): m is PullResponseMessage => m.type === "pull_response", from);
  return Object.fromEntries(response.patches.flatMap((p) => (p.op === "set" ? [[p.key, p.value]] : [])));
}

const backends: Array<[string, () => Promise<Storage>]> = [
  [
    "SQLite",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "ss-migrate-"));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const storage = openSqliteStorage({ path: join(dir, "db.sqlite") });
      cleanups.push(() => storage.close());
      return Promise.resolve(storage);
    },
  ],
  [
    "PostgreSQL",
    async () => {
      const db = await createTempDatabase();
      cleanups.push(() => db.drop());
      const storage = await openPostgresStorage({ connectionString: db.url, maxConnections: 4 });
      cleanups.push(() => storage.close());
      return storage;
    },
  ],
];

// PostgreSQL only where it runs: a machine without it still tests SQLite.
const postgresReady = await servicesReady("postgres");
const runnable = backends.filter(([name]) => name !== "PostgreSQL" || postgresReady);

describe.each(runnable)("space data migrations on %s", (_name, open) => {
  it("migrates a space when a new version first opens it, once, and serves both versions", async () => {
    const storage = await open();
    await seedV1(storage);
    const v2 = await start(todoV2Counted, storage);
    expect(await pull(v2, 2)).toEqual({
      counter: 101,
      "todos/a": { id: "a", text: "A", done: false, priority: "normal" },
      "todos/b": { id: "b", text: "B", done: false, priority: "normal" },
    });
    // v1 clients are still served, in their shape.
    expect(await pull(v2, 1)).toMatchObject({ "todos/a": { id: "a", text: "A", done: false } });
    expect((await pull(v2, 1))["todos/a"]).not.toHaveProperty("priority");
    expect(await storage.read("vtodo/1", (r) => r.head())).toMatchObject({ schemaVersion: 2 });

    // Restarted on the same data: nothing runs again.
    servers.splice(0).forEach((s) => void s.close());
    const again = await start(todoV2Counted, storage);
    expect((await pull(again, 2)).counter).toBe(101);
    expect(await again.server.migrate()).toEqual({
      spaces: 1,
      migrated: 0,
      current: 1,
      newer: 0,
      failed: [],
    });
  });

  it("migrates every stored space from the command, once even when two servers run it at once", async () => {
    const storage = await open();
    await seedV1(storage);
    const a = createSyncServer({ stores: [todoV2Counted], storage: kept(storage) });
    const b = createSyncServer({ stores: [todoV2Counted], storage: kept(storage) });
    const reports = await Promise.all([a.migrate(), b.migrate()]);
    expect(reports.map((r) => r.migrated).sort()).toEqual([0, 1]);
    expect(reports.every((r) => r.spaces === 1 && r.failed.length === 0)).toBe(true);
    await Promise.all([a.close(), b.close()]);
    const v2 = await start(todoV2Counted, storage);
    expect((await pull(v2, 2)).counter).toBe(101);
  });

  it("leaves a space unchanged when its migration fails, and reports it", async () => {
    const storage = await open();
    await seedV1(storage);
    const broken = defineStore({
      name: "vtodo",
      version: 2,
      keys: todoV2.keys,
      // No values upgrade: v1 todos lack `priority`, which v2's schema requires.
      upgrades: { 2: { mutators: todoV2.upgrades[2]?.mutators ?? {} } },
    }).mutators(todoV2.mutatorDefs);
    const sync = createSyncServer({ stores: [broken], storage: kept(storage) });
    const report = await sync.migrate();
    expect(report).toMatchObject({ spaces: 1, migrated: 0, failed: [{ spaceId: "vtodo/1" }] });
    expect(report.failed[0]?.error).toMatch(/Invalid value for "todos\/a"/);
    await sync.close();
    expect(await storage.read("vtodo/1", (r) => r.head())).toMatchObject({ schemaVersion: 1 });
    const v1 = await start(todoV1, storage);
    expect(await pull(v1, 1)).toEqual({
      counter: 1,
      "todos/a": { id: "a", text: "A", done: false },
      "todos/b": { id: "b", text: "B", done: false },
    });
  });
});
