import { afterEach, describe, expect, it } from "vitest";
import { httpConnect as connect } from "../test-support/http-post.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

let t: TestServer;
afterEach(async () => {
  await t.close();
});

async function post(
  path: string,
  body: unknown,
): Promise<{ status: number; json: { messages?: Array<Record<string, unknown>> } }> {
  const res = await fetch(`http://127.0.0.1:${t.running.port}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as { messages?: Array<Record<string, unknown>> } };
}

describe("HTTP endpoints", () => {
  it("connects, pushes, pulls and runs actions over POST, poking WebSocket clients", async () => {
    t = await startTestServer();
    const watcher = await t.connected("bob", "cb");
    const hello = await post("/sync/connect", { connect: connect("ch", "alice") });
    expect(hello.status).toBe(200);
    expect(hello.json.messages).toEqual([
      expect.objectContaining({ type: "connected", version: 0, last_mutation_id: 0 }),
      // bob's connection has no presence to show
      { type: "presence", full: true, set: [], removed: [] },
    ]);

    const pushed = await post("/sync/push", {
      connect: connect("ch", "alice"),
      message: {
        type: "push",
        client_id: "ch",
        mutations: [
          { id: 1, name: "setItem", args: { id: "1", text: "via http" }, timestamp: 0 },
          { id: 2, name: "nope", args: {}, timestamp: 0 },
        ],
      },
    });
    expect(pushed.json.messages).toContainEqual(
      expect.objectContaining({ type: "mutation_error", mutation_id: 2, code: "unknown_mutator" }),
    );
    await watcher.waitFor((m) => m.type === "poke" && m.patches.length === 1);

    const pulled = await post("/sync/pull", {
      connect: connect("ch", "alice"),
      message: { type: "pull", client_id: "ch", base_version: 0 },
    });
    // The connect replays the rejection the client has not acknowledged yet, then the pull answers.
    expect(pulled.json.messages?.map((m) => m.type)).toEqual([
      "connected",
      "mutation_error",
      "presence",
      "pull_response",
    ]);
    expect(pulled.json.messages?.[3]).toMatchObject({
      type: "pull_response",
      max_included_version: 1,
      patches: [{ op: "reset" }, { op: "set", key: "items/1", value: { text: "via http" } }],
      client_id_to_last_mutation_id: { ch: 2 },
    });

    const acted = await post("/sync/action", {
      connect: connect("ch", "alice"),
      message: { type: "action", request_id: "r", name: "clearItems", args: {} },
    });
    expect(acted.json.messages?.at(-1)).toEqual({
      type: "action_result",
      request_id: "r",
      ok: true,
      result: { cleared: 1 },
    });
  });

  it("rejects bad requests with a status and refused connects with the error message", async () => {
    t = await startTestServer({ authenticate: () => undefined, limits: { maxFrameBytes: 1000 } });
    expect((await post("/sync/push", "{nope")).status).toBe(400);
    expect((await post("/sync/push", { connect: connect("c", "a") })).status).toBe(400);
    expect((await post("/sync/pull", "x".repeat(3000))).status).toBe(413);
    const refused = await post("/sync/connect", { connect: connect("c", "a") });
    expect(refused.json.messages).toEqual([
      expect.objectContaining({ type: "error", code: "unauthenticated" }),
    ]);
  });

  it("serves /healthz and /metrics", async () => {
    t = await startTestServer();
    await t.connected("alice", "c");
    const health = await fetch(`http://127.0.0.1:${t.running.port}/healthz`);
    expect(await health.json()).toEqual({ ok: true });
    const metrics = await (await fetch(`http://127.0.0.1:${t.running.port}/metrics`)).text();
    expect(metrics).toMatch(/^synced_store_connections 1$/m);
    expect(metrics).toMatch(/# TYPE synced_store_poke_latency_ms histogram/);
  });

  it("times every stage of a push in /metrics", async () => {
    t = await startTestServer();
    const writer = await t.connected("alice", "w");
    await t.connected("bob", "r");
    writer.send({
      type: "push",
      client_id: "w",
      mutations: [{ id: 1, name: "setItem", args: { id: "a", text: "x" }, timestamp: 0 }],
    });
    await writer.waitFor((m) => m.type === "poke");
    await t.server.settled();
    const text = await (await fetch(`http://127.0.0.1:${t.running.port}/metrics`)).text();
    const count = (name: string) => Number(new RegExp(`^${name}_count (\\S+)$`, "m").exec(text)?.[1]);
    for (const stage of ["push_queue", "push_transaction", "push_commit", "poke_latency", "push_latency"])
      expect(count(`synced_store_${stage}_ms`), stage).toBe(1);
    expect(count("synced_store_pushes_per_version")).toBe(1);
    expect(text).toMatch(/# TYPE synced_store_event_loop_lag_ms histogram/);
  });
});
