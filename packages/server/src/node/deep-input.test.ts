import { afterEach, describe, expect, it } from "vitest";
import { httpConnect as connect } from "../test-support/http-post.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

let t: TestServer;
afterEach(async () => {
  await t.close();
});

const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

async function post(path: string, body: string) {
  const res = await fetch(`http://127.0.0.1:${t.running.port}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe("deeply nested and mistyped input", () => {
  it("answers an HTTP body nested 100,000 deep with a typed 400, and keeps serving", async () => {
    t = await startTestServer();
    for (const path of ["/sync/connect", "/sync/push"]) {
      const deep = await post(path, `{"connect":${nested(100_000)}}`);
      expect(deep.status).toBe(400);
      expect(deep.json.code).toBe("bad_message");
      expect(deep.json.error).toContain("100 deep");
    }
    // Inside a message too, where the old adapter re-encoded it.
    const inArgs = await post(
      "/sync/push",
      JSON.stringify({
        connect: connect("c", "alice"),
        message: { type: "push", client_id: "c", mutations: [{ id: 1, name: "x", args: 0, timestamp: 0 }] },
      }).replace('"args":0', `"args":${nested(100_000)}`),
    );
    expect(inArgs.status).toBe(400);
    expect(inArgs.json.code).toBe("bad_message");
    const ok = await post("/sync/connect", JSON.stringify({ connect: connect("c", "alice") }));
    expect(ok.status).toBe(200);
  });

  it("POST /sync/connect takes no message, and each endpoint only its own message type", async () => {
    t = await startTestServer();
    const push = {
      type: "push",
      client_id: "c",
      mutations: [{ id: 1, name: "increment", args: { by: 1 }, timestamp: 0 }],
    };
    for (const message of [push, 42, "push", null, { type: "pull", client_id: "c", base_version: 0 }]) {
      const res = await post("/sync/connect", JSON.stringify({ connect: connect("c", "alice"), message }));
      expect(res.status, JSON.stringify(message)).toBe(400);
      expect(res.json.code).toBe("bad_message");
    }
    const wrong = await post("/sync/pull", JSON.stringify({ connect: connect("c", "alice"), message: push }));
    expect(wrong.status).toBe(400);
    // Nothing of the refused pushes ran.
    const probe = await t.connected("alice", "probe");
    expect(probe.version()).toBe(0);
    expect(t.server.metrics.pushes).toBe(0);
  });
});
