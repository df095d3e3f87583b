import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServerMessage } from "@synced-store/core/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { servicesReady } from "../../test/support/services.js";
import { createTempDatabase } from "../../test/support/temp-postgres.js";
import { openPostgresStorage } from "../storage/postgres.js";
import { openSqliteStorage } from "../storage/sqlite.js";
import type { Storage } from "../storage/storage.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";
import type { RawClient } from "../test-support/raw-client.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** One storage shared by servers started on it; the test closes it. */
function kept(storage: Storage): Storage {
  return { ...storage, close: () => Promise.resolve() };
}

const backends: Array<[string, () => Promise<Storage>]> = [
  [
    "SQLite",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "synced-store-binding-"));
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
const postgresReady = await servicesReady("postgres");
const runnable = backends.filter(([name]) => name !== "PostgreSQL" || postgresReady);

async function start(storage: Storage, limits: Record<string, number> = {}): Promise<TestServer> {
  const t = await startTestServer({ storage: kept(storage), limits: { messagesPerSecond: 1000, ...limits } });
  cleanups.push(() => t.close());
  return t;
}

/** Sends `connect` as `user` for `clientId` and waits for `connected` or `error`. */
function connectAs(c: RawClient, user: string, clientId: string, space = "test/1"): Promise<ServerMessage> {
  return c.connect({ space, clientId, auth: user });
}

/** `POST /sync/connect` as `user` for `clientId`; the server messages of the answer. */
async function httpConnect(t: TestServer, user: string, clientId: string): Promise<ServerMessage[]> {
  const connect = {
    type: "connect",
    space: "test/1",
    client_id: clientId,
    auth: user,
    history_id: null,
    base_version: 0,
    last_mutation_id: 0,
    schema_version: 1,
  };
  const res = await fetch(`http://127.0.0.1:${t.running.port}/sync/connect`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ connect }),
  });
  return ((await res.json()) as { messages: ServerMessage[] }).messages;
}

const increment = (id: number) => ({ id, name: "increment", args: { by: 1 }, timestamp: 0 });

describe.each(runnable)("client ids are bound to a user at their first connect (%s)", (_name, open) => {
  it("refuses another user's connect with an id that connected but never pushed, and keeps it the owner's", async () => {
    const storage = await open();
    const t = await start(storage);
    const owner = await t.client();
    expect(await connectAs(owner, "ann", "ann-1")).toMatchObject({ type: "connected", last_mutation_id: 0 });
    owner.close();
    await owner.waitClosed();

    // A fresh server on the same storage: the binding is stored, not only cached.
    const t2 = await start(storage);
    const thief = await t2.client();
    expect(await connectAs(thief, "mallory", "ann-1")).toMatchObject({
      type: "error",
      code: "client_id_taken",
    });
    expect(await thief.waitClosed()).toMatchObject({ code: 4409 });
    // The HTTP endpoints run the same handshake.
    expect(await httpConnect(t2, "mallory", "ann-1")).toEqual([
      expect.objectContaining({ type: "error", code: "client_id_taken" }),
    ]);

    const back = await t2.client();
    expect(await connectAs(back, "ann", "ann-1")).toMatchObject({ type: "connected" });
    back.send({ type: "push", client_id: "ann-1", mutations: [increment(1)] });
    await back.waitFor((m) => m.type === "poke" && m.client_id_to_last_mutation_id["ann-1"] === 1);
    const row = await storage.read("test/1", (r) => r.getClient("ann-1"));
    expect(row).toMatchObject({ userId: "ann", lastMutationId: 1 });
  });

  it("of two users racing to connect with one new id, exactly one is admitted", async () => {
    const storage = await open();
    // Two servers on one storage where the backend allows several processes; SQLite has one.
    const servers = [await start(storage)];
    if (_name === "PostgreSQL") servers.push(await start(storage));
    for (let round = 0; round < 10; round++) {
      const id = `race-${round}`;
      const a = await servers[0]!.client();
      const b = await servers[servers.length - 1]!.client();
      const replies = await Promise.all([connectAs(a, "ann", id), connectAs(b, "bob", id)]);
      const admitted = replies.filter((m) => m.type === "connected");
      const refused = replies.filter((m) => m.type === "error");
      expect(admitted).toHaveLength(1);
      expect(refused).toEqual([expect.objectContaining({ code: "client_id_taken" })]);
      const loser = replies[0].type === "error" ? a : b;
      expect(await loser.waitClosed()).toMatchObject({ code: 4409 });
      const winner = replies[0].type === "connected" ? "ann" : "bob";
      expect(await storage.read("test/1", (r) => r.getClient(id))).toMatchObject({ userId: winner });
      a.close();
      b.close();
    }
  });

  it("bounds the client ids one user binds in a space; other users and known ids go on", async () => {
    const storage = await open();
    const t = await start(storage, { maxClientsPerUser: 3 });
    for (const id of ["m1", "m2", "m3"]) {
      const c = await t.client();
      expect(await connectAs(c, "mallory", id)).toMatchObject({ type: "connected" });
      c.close();
    }
    const fourth = await t.client();
    expect(await connectAs(fourth, "mallory", "m4")).toMatchObject({
      type: "error",
      code: "too_many_clients",
    });
    expect(await fourth.waitClosed()).toMatchObject({ code: 4429 });
    const known = await t.client();
    expect(await connectAs(known, "mallory", "m2")).toMatchObject({ type: "connected" });
    const elsewhere = await t.client();
    expect(await connectAs(elsewhere, "mallory", "m4", "test/2")).toMatchObject({ type: "connected" });
    const other = await t.client();
    expect(await connectAs(other, "bob", "b1")).toMatchObject({ type: "connected" });
    const rows = await storage.read("test/1", (r) => r.clients({ userId: "mallory" }));
    expect(rows.map((r) => r.clientId)).toEqual(["m1", "m2", "m3"]);
  });
});
