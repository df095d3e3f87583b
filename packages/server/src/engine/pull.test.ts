import type { ConnectedMessage, PullResponseMessage, ServerMessage } from "@synced-store/core/protocol";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStorage } from "../storage/sqlite.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";
import type { RawClient } from "../test-support/raw-client.js";

const isPull = (m: ServerMessage): m is PullResponseMessage => m.type === "pull_response";

let t: TestServer;
afterEach(async () => {
  await t.close();
});

async function push(c: RawClient, clientId: string, from: number, names: Array<[string, unknown]>) {
  c.send({
    type: "push",
    client_id: clientId,
    mutations: names.map(([name, args], i) => ({ id: from + i, name, args, timestamp: 0 })),
  });
  const last = from + names.length - 1;
  await c.waitFor((m) => m.type === "poke" && (m.client_id_to_last_mutation_id[clientId] ?? 0) >= last);
}

async function pull(c: RawClient, clientId: string, baseVersion: number): Promise<PullResponseMessage> {
  const from = c.messages.length;
  c.send({ type: "pull", client_id: clientId, base_version: baseVersion });
  return c.waitFor(isPull, from);
}

describe("pull", () => {
  it("returns exactly what changed since the base version, deletes included", async () => {
    t = await startTestServer();
    const a = await t.connected("alice", "ca");
    await push(a, "ca", 1, [
      ["setItem", { id: "1", text: "a" }],
      ["setItem", { id: "2", text: "b" }],
    ]); // v1
    await push(a, "ca", 3, [["delItem", { id: "1" }]]); // v2
    await push(a, "ca", 4, [["setItem", { id: "3", text: "c" }]]); // v3
    const since1 = await pull(a, "ca", 1);
    expect(since1).toEqual({
      type: "pull_response",
      min_included_version: 2,
      max_included_version: 3,
      patches: [
        { op: "del", key: "items/1" },
        { op: "set", key: "items/3", value: { text: "c" } },
      ],
      client_id_to_last_mutation_id: { ca: 4 },
    });
    const current = await pull(a, "ca", 3);
    expect(current.patches).toEqual([]);
    expect(current.client_id_to_last_mutation_id).toEqual({});
    const fresh = await pull(a, "ca", 0);
    expect(fresh.patches[0]).toEqual({ op: "reset" });
    expect(fresh.patches.slice(1).map((p) => (p.op === "reset" ? "" : p.key))).toEqual([
      "items/2",
      "items/3",
    ]);
  });

  it("resets a cookie older than the tombstone horizon to a snapshot", async () => {
    t = await startTestServer({ tombstoneRetention: 2 });
    const a = await t.connected("alice", "ca");
    for (let i = 1; i <= 6; i++)
      await push(a, "ca", i, [["setItem", { id: String(i % 2), text: String(i) }]]);
    const old = await pull(a, "ca", 1);
    expect(old.min_included_version).toBe(0);
    expect(old.patches[0]).toEqual({ op: "reset" });
    expect(old.max_included_version).toBe(6);
    const recent = await pull(a, "ca", 5);
    expect(recent.patches).toEqual([{ op: "set", key: "items/0", value: { text: "6" } }]);
  });

  it.each([
    ["another history", { historyId: "some-other-history" }],
    ["a version ahead of the server", { baseVersion: 99 }],
    ["a last mutation id ahead of the server", { lastMutationId: 7 }],
  ])(
    "resets a client from %s: connected carries the server's ids, the next pull is a snapshot, no poke before it",
    async (_, cookie) => {
      t = await startTestServer();
      const a = await t.connected("alice", "ca");
      await push(a, "ca", 1, [["setItem", { id: "1", text: "a" }]]);
      const head = a.messages.find((m): m is ConnectedMessage => m.type === "connected")!;
      const b = await t.client();
      const reply = await b.connect({
        space: "test/1",
        clientId: "cb",
        auth: "bob",
        historyId: head.history_id,
        ...cookie,
      });
      expect(reply).toMatchObject({
        type: "connected",
        history_id: head.history_id,
        version: 1,
        last_mutation_id: 0,
      });
      await push(a, "ca", 2, [["setItem", { id: "2", text: "b" }]]);
      const snapshot = await pull(b, "cb", "baseVersion" in cookie ? cookie.baseVersion : 1);
      // The poke of version 2 was withheld: the snapshot is the first state b received.
      expect(b.messages.find((m) => m.type === "poke" || m.type === "pull_response")).toBe(snapshot);
      expect(snapshot.patches[0]).toEqual({ op: "reset" });
      expect(snapshot.patches).toHaveLength(3);
      await push(a, "ca", 3, [["setItem", { id: "3", text: "c" }]]);
      await b.waitFor((m) => m.type === "poke" && m.max_included_version === 3);
    },
  );

  it("keeps the history id, versions and last mutation ids of a SQLite file across a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "synced-store-pull-"));
    try {
      const path = join(dir, "s.db");
      t = await startTestServer({ storage: openSqliteStorage({ path }) });
      const a = await t.connected("alice", "ca");
      await push(a, "ca", 1, [["setItem", { id: "1", text: "a" }]]);
      const first = a.messages.find((m): m is ConnectedMessage => m.type === "connected")!;
      await t.close();
      t = await startTestServer({ storage: openSqliteStorage({ path }) });
      const c = await t.client();
      const cookie = { historyId: first.history_id, baseVersion: 1, lastMutationId: 1 };
      const reply = await c.connect({ space: "test/1", clientId: "ca", auth: "alice", ...cookie });
      expect(reply).toEqual({
        type: "connected",
        history_id: first.history_id,
        version: 1,
        last_mutation_id: 1,
      });
      expect((await pull(c, "ca", 1)).patches).toEqual([]);
    } finally {
      await t.close();
      t = await startTestServer();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("tells a client of a newer version than the server's so, with the versions, and closes", async () => {
    t = await startTestServer();
    const c = await t.client();
    const reply = await c.connect({ space: "test/1", clientId: "c", auth: "alice", schemaVersion: 2 });
    expect(reply).toMatchObject({
      type: "error",
      code: "server_version_behind",
      client_version: 2,
      min_supported_version: 1,
      server_version: 1,
    });
    expect((await c.waitClosed()).code).toBe(4426);
  });
});
