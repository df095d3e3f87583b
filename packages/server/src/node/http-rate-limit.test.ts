import { Agent } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { httpConnect as connect, httpPost } from "../test-support/http-post.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

let t: TestServer;
afterEach(async () => {
  await t.close();
});

const push = (clientId: string, id: number) => ({
  type: "push" as const,
  client_id: clientId,
  mutations: [{ id, name: "increment", args: { by: 1 }, timestamp: 0 }],
});
// A clock that never moves: buckets never refill, so the counts below hold on any machine.
const frozen = { now: () => 0 };
const post = (path: string, body: unknown, agent?: Agent) =>
  httpPost(t.running.port, path, JSON.stringify(body), {}, agent);

describe("HTTP rate limits across requests", () => {
  it("answers a user over their rate with 429 and Retry-After, and serves another user", async () => {
    t = await startTestServer({ limits: { httpRequestsPerSecondPerUser: 3 } }, frozen);
    // Three requests from three clients of alice: the limit is the user's, over all of them.
    for (const c of ["a1", "a2", "a3"]) {
      expect((await post("/sync/connect", { connect: connect(c, "alice") })).status).toBe(200);
    }
    const over = await post("/sync/push", { connect: connect("a4", "alice"), message: push("a4", 1) });
    expect(over.status).toBe(429);
    expect(over.headers["retry-after"]).toBe("1");
    expect(over.json).toMatchObject({ code: "rate_limited", scope: "user", retry_after_ms: 334 });
    expect(over.json.error).toContain("Too many requests");
    // The refused push did not run, and the refused connect was not admitted: a4 is bound to no one.
    expect(t.server.metrics.pushes).toBe(0);
    const taken = await post("/sync/connect", { connect: connect("a4", "carol") });
    expect(taken.json.messages).toEqual([expect.objectContaining({ type: "connected" }), expect.anything()]);

    const bob = await post("/sync/push", { connect: connect("b1", "bob"), message: push("b1", 1) });
    expect(bob.status).toBe(200);
    expect(t.server.metrics.pushes).toBe(1);
    // WebSocket connections have their own per-connection limit and are not counted here.
    const ws = await t.connected("alice", "a5");
    ws.send(push("a5", 1));
    await ws.waitFor((m) => m.type === "poke" && m.client_id_to_last_mutation_id.a5 === 1);
    expect(t.server.metrics.httpRateLimited.get({ scope: "user" })).toBe(1);
  });

  it("limits one client id before authenticating it, leaving the user's other clients alone", async () => {
    let authentications = 0;
    t = await startTestServer(
      {
        limits: { httpRequestsPerSecondPerClient: 2 },
        authenticate: ({ auth }) => {
          authentications++;
          return auth;
        },
      },
      frozen,
    );
    for (let i = 0; i < 2; i++)
      expect((await post("/sync/connect", { connect: connect("c", "alice") })).status).toBe(200);
    const over = await post("/sync/connect", { connect: connect("c", "alice") });
    expect(over.status).toBe(429);
    expect(over.json).toMatchObject({ code: "rate_limited", scope: "client" });
    expect(authentications).toBe(2);
    expect((await post("/sync/connect", { connect: connect("d", "alice") })).status).toBe(200);
    expect(t.server.metrics.httpRateLimited.get({ scope: "client" })).toBe(1);
  });

  it("keeps at most httpRateBuckets client ids under 10,000 distinct ones, within its bytes", async () => {
    t = await startTestServer(
      { limits: { httpRequestsPerSecondPerUser: 2, httpRateBuckets: 500, httpRateBucketBytes: 40_000 } },
      frozen,
    );
    // alice uses up her rate before the flood...
    for (let i = 0; i < 2; i++) await post("/sync/connect", { connect: connect("a", "alice") });
    expect((await post("/sync/connect", { connect: connect("a", "alice") })).status).toBe(429);
    // ...which comes from made-up client ids on an unknown space (refused before authentication).
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const metrics = t.server.metrics;
    let peak = 0;
    try {
      for (let from = 0; from < 10_000; from += 100) {
        const answers = await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            post(
              "/sync/connect",
              { connect: connect(`flood-${from + i}-${"x".repeat(60)}`, "eve", "nope/1") },
              agent,
            ),
          ),
        );
        expect(answers.every((a) => a.status === 200)).toBe(true);
        peak = Math.max(peak, metrics.httpRateBuckets.get({ scope: "client" }));
        expect(metrics.httpRateBucketBytes.get({ scope: "client" })).toBeLessThanOrEqual(40_000);
      }
    } finally {
      agent.destroy();
    }
    // 60-odd characters an id: the byte bound bites before the count does.
    expect(peak).toBeGreaterThan(100);
    expect(peak).toBeLessThanOrEqual(500);
    // The flood pushed no user's bucket out: alice is still over her rate.
    expect((await post("/sync/connect", { connect: connect("a", "alice") })).status).toBe(429);
    const scraped = await (await fetch(`http://127.0.0.1:${t.running.port}/metrics`)).text();
    expect(scraped).toMatch(/^synced_store_http_rate_limited_total\{scope="user"\} 2$/m);
  });
});
