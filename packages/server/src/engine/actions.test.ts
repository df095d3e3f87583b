import { afterEach, describe, expect, it } from "vitest";
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
});
