import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStorage } from "../storage/sqlite.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

let t: TestServer;
afterEach(async () => {
  await t.close();
});

describe("actions", () => {
  it("returns the result and pokes the action's writes as a new version", async () => {
    t = await startTestServer();
    const a = await t.connected("alice", "ca");
    const b = await t.connected("bob", "cb");
    a.send({
      type: "push",
      client_id: "ca",
      mutations: [
        { id: 1, name: "setItem", args: { id: "1", text: "x" }, timestamp: 0 },
        { id: 2, name: "setItem", args: { id: "2", text: "y" }, timestamp: 0 },
      ],
    });
    await b.waitFor((m) => m.type === "poke" && m.max_included_version === 1);
    b.send({ type: "action", request_id: "r1", name: "clearItems", args: {} });
    expect(await b.waitFor((m) => m.type === "action_result")).toEqual({
      type: "action_result",
      request_id: "r1",
      ok: true,
      result: { cleared: 2 },
    });
    const poke = await a.waitFor((m) => m.type === "poke" && m.max_included_version === 2);
    expect(poke.type === "poke" && poke.patches).toEqual([
      { op: "del", key: "items/1" },
      { op: "del", key: "items/2" },
    ]);
  });

  it.each([
    ["an unknown action", { name: "nope", args: {} }, "unknown_action"],
    ["invalid args", { name: "writeNoteFor", args: { user: 1 } }, "invalid_args"],
    ["an action that throws", { name: "explode", args: {} }, "action_failed"],
  ])("answers %s with a typed error and commits nothing", async (_, call, code) => {
    t = await startTestServer();
    const a = await t.connected("alice", "ca");
    a.send({ type: "action", request_id: "r", ...call });
    const result = await a.waitFor((m) => m.type === "action_result");
    expect(result).toMatchObject({ ok: false, request_id: "r", error: { code } });
    a.send({ type: "pull", client_id: "ca", base_version: 0 });
    expect(await a.waitFor((m) => m.type === "pull_response")).toMatchObject({ max_included_version: 0 });
  });

  it("runs a slow action outside the storage transaction: other spaces keep committing meanwhile", async () => {
    const dir = mkdtempSync(join(tmpdir(), "synced-store-actions-"));
    try {
      t = await startTestServer({ storage: openSqliteStorage({ path: join(dir, "a.db") }) });
      const slow = await t.connected("alice", "ca", "test/slow");
      const busy = await t.connected("bob", "cb", "test/busy");
      slow.send({ type: "action", request_id: "r", name: "slowWrite", args: { ms: 400, id: "x" } });
      busy.send({
        type: "push",
        client_id: "cb",
        mutations: [{ id: 1, name: "increment", args: { by: 1 }, timestamp: 0 }],
      });
      await busy.waitFor((m) => m.type === "poke" && m.client_id_to_last_mutation_id.cb === 1);
      expect(slow.messages.some((m) => m.type === "action_result")).toBe(false);
      expect(await slow.waitFor((m) => m.type === "action_result")).toMatchObject({
        ok: true,
        result: "done",
      });
      await slow.waitFor(
        (m) => m.type === "poke" && m.patches.some((p) => p.op === "set" && p.key === "items/x"),
      );
    } finally {
      await t.close();
      t = await startTestServer();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
