import type { ServerMessage } from "@synced-store/core/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../test-support/test-server.js";
import type { RawClient } from "../test-support/raw-client.js";

let t: TestServer;
afterEach(async () => {
  await t.close();
});

const LIMITS = { maxFrameBytes: 4096, maxMutationsPerPush: 5, messagesPerSecond: 1000 };
const mutation = (id: number) => ({ id, name: "increment", args: { by: 1 }, timestamp: 0 });

interface Case {
  readonly name: string;
  /** Connect before sending the frame. */
  readonly connected: boolean;
  readonly frame: string;
  readonly code: string;
  /** Whether the server closes the connection after its error. */
  readonly closes: boolean;
}

const cases: Case[] = [
  { name: "malformed JSON", connected: true, frame: "{not json", code: "bad_message", closes: false },
  { name: "a JSON array", connected: true, frame: "[1,2]", code: "bad_message", closes: false },
  {
    name: "an unknown message type",
    connected: true,
    frame: '{"type":"launch"}',
    code: "bad_message",
    closes: false,
  },
  {
    name: "a push with a wrong field type",
    connected: true,
    frame: '{"type":"push","client_id":"h","mutations":"x"}',
    code: "bad_message",
    closes: false,
  },
  {
    name: "a push with a negative id",
    connected: true,
    frame: JSON.stringify({ type: "push", client_id: "h", mutations: [{ ...mutation(1), id: -1 }] }),
    code: "bad_message",
    closes: false,
  },
  {
    name: "a push for another client id",
    connected: true,
    frame: JSON.stringify({ type: "push", client_id: "victim", mutations: [mutation(1)] }),
    code: "bad_message",
    closes: false,
  },
  {
    name: "a push over the mutation limit",
    connected: true,
    frame: JSON.stringify({ type: "push", client_id: "h", mutations: [1, 2, 3, 4, 5, 6].map(mutation) }),
    code: "too_many_mutations",
    closes: false,
  },
  {
    name: "a push before connect",
    connected: false,
    frame: JSON.stringify({ type: "push", client_id: "h", mutations: [mutation(1)] }),
    code: "not_connected",
    closes: false,
  },
  {
    name: "a pull before connect",
    connected: false,
    frame: JSON.stringify({ type: "pull", client_id: "h", base_version: 0 }),
    code: "not_connected",
    closes: false,
  },
  {
    name: "an action before connect",
    connected: false,
    frame: JSON.stringify({ type: "action", request_id: "r", name: "clearItems", args: {} }),
    code: "not_connected",
    closes: false,
  },
  {
    name: "a second connect",
    connected: true,
    frame: JSON.stringify({
      type: "connect",
      space: "test/1",
      client_id: "h",
      auth: "mallory",
      history_id: null,
      base_version: 0,
      last_mutation_id: 0,
      schema_version: 1,
    }),
    code: "already_connected",
    closes: false,
  },
  {
    name: "a frame over the size limit",
    connected: true,
    frame: JSON.stringify({ type: "ping", pad: "x".repeat(5000) }),
    code: "frame_too_large",
    closes: true,
  },
  {
    name: "an unknown space",
    connected: false,
    frame: JSON.stringify({
      type: "connect",
      space: "nostore/1",
      client_id: "h",
      auth: "mallory",
      history_id: null,
      base_version: 0,
      last_mutation_id: 0,
      schema_version: 1,
    }),
    code: "unknown_space",
    closes: true,
  },
  {
    name: "a space id without an instance",
    connected: false,
    frame: JSON.stringify({
      type: "connect",
      space: "test",
      client_id: "h",
      auth: "mallory",
      history_id: null,
      base_version: 0,
      last_mutation_id: 0,
      schema_version: 1,
    }),
    code: "unknown_space",
    closes: true,
  },
  {
    name: "a connect without auth",
    connected: false,
    frame: JSON.stringify({
      type: "connect",
      space: "test/1",
      client_id: "h",
      history_id: null,
      base_version: 0,
      last_mutation_id: 0,
      schema_version: 1,
    }),
    code: "unauthenticated",
    closes: true,
  },
  {
    name: "a user id with a slash",
    connected: false,
    frame: JSON.stringify({
      type: "connect",
      space: "test/1",
      client_id: "h",
      auth: "a/b",
      history_id: null,
      base_version: 0,
      last_mutation_id: 0,
      schema_version: 1,
    }),
    code: "unauthenticated",
    closes: true,
  },
  {
    name: "someone else's client id",
    connected: false,
    frame: JSON.stringify({
      type: "connect",
      space: "test/1",
      client_id: "victim",
      auth: "mallory",
      history_id: null,
      base_version: 0,
      last_mutation_id: 0,
      schema_version: 1,
    }),
    code: "client_id_taken",
    closes: true,
  },
];

describe("hostile frames", () => {
  it.each(cases)("answers $name with error $code, leaving state and other clients untouched", async (c) => {
    t = await startTestServer({ limits: LIMITS });
    const victim = await t.connected("victim", "victim");
    victim.send({ type: "push", client_id: "victim", mutations: [mutation(1), mutation(2)] });
    await victim.waitFor((m) => m.type === "poke" && m.client_id_to_last_mutation_id.victim === 2);
    const victimFrames = victim.frames.length;

    let hostile: RawClient;
    if (c.connected) hostile = await t.connected("mallory", "h");
    else hostile = await t.client();
    const from = hostile.messages.length;
    hostile.sendRaw(c.frame);
    const reply = await hostile.waitFor(
      (m): m is Extract<ServerMessage, { type: "error" }> => m.type === "error",
      from,
    );
    expect(reply.code).toBe(c.code);
    expect(reply.message.length).toBeGreaterThan(0);
    if (c.closes) {
      const closed = await hostile.waitClosed();
      expect(closed.code).toBeGreaterThanOrEqual(1008);
    } else {
      await hostile.roundTrip();
      expect(hostile.closed).toBeUndefined();
    }

    // State untouched: a fresh client sees exactly the victim's two increments, and the victim
    // got nothing because of the hostile frame and keeps working.
    const observer = await t.connected("observer", "o");
    observer.send({ type: "pull", client_id: "o", base_version: 0 });
    const snapshot = await observer.waitFor((m) => m.type === "pull_response");
    expect(snapshot).toMatchObject({
      max_included_version: 1,
      patches: [{ op: "reset" }, { op: "set", key: "counter", value: 2 }],
    });
    expect(victim.frames.length).toBe(victimFrames);
    victim.send({ type: "push", client_id: "victim", mutations: [mutation(3)] });
    await victim.waitFor((m) => m.type === "poke" && m.client_id_to_last_mutation_id.victim === 3);
  });

  it("drops messages over the rate limit with rate_limited, then closes a flooding connection", async () => {
    let now = 0;
    t = await startTestServer({ limits: { messagesPerSecond: 5, maxRateViolations: 3 }, now: () => now });
    const c = await t.client();
    for (let i = 0; i < 5; i++) c.send({ type: "ping" });
    await c.waitFor((m) => m.type === "pong" && c.messages.filter((x) => x.type === "pong").length === 5);
    c.send({ type: "ping" });
    expect(await c.waitFor((m) => m.type === "error")).toMatchObject({ code: "rate_limited" });
    now += 1000; // the bucket refills
    c.send({ type: "ping" });
    await c.waitFor((m) => m.type === "pong" && c.messages.filter((x) => x.type === "pong").length === 6);
    for (let i = 0; i < 10; i++) c.send({ type: "ping" });
    expect((await c.waitClosed()).code).toBe(1008);
    expect(t.server.metrics.connections).toBe(0);
  });

  it("forgives past bursts once the client paused: only sustained flooding closes", async () => {
    let now = 0;
    t = await startTestServer({ limits: { messagesPerSecond: 2, maxRateViolations: 2 }, now: () => now });
    const c = await t.client();
    for (let burst = 0; burst < 3; burst++) {
      // Two accepted, two dropped (2 violations: at the limit, not over it), then a pause.
      for (let i = 0; i < 4; i++) c.send({ type: "ping" });
      await c.waitFor(
        (m) => m.type === "error" && c.messages.filter((x) => x.type === "error").length === 2 * (burst + 1),
      );
      now += 5000;
      c.send({ type: "ping" });
      await c.roundTrip();
      now += 5000;
    }
    expect(c.closed).toBeUndefined();
  });

  it("keeps serving other spaces and clients while one connection misbehaves", async () => {
    t = await startTestServer({ limits: LIMITS });
    const bad = await t.connected("mallory", "m");
    const good = await t.connected("alice", "a", "test/2");
    for (let i = 0; i < 20; i++) bad.sendRaw("{" + "x".repeat(i));
    good.send({ type: "push", client_id: "a", mutations: [mutation(1)] });
    await good.waitFor((m) => m.type === "poke");
    expect(good.messages.some((m) => m.type === "error")).toBe(false);
  });

  it("survives deeply nested JSON: the mutation is rejected, the connection and state are fine", async () => {
    t = await startTestServer({ limits: { maxFrameBytes: 600_000 } });
    const c = await t.connected("mallory", "m");
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    c.sendRaw(
      `{"type":"push","client_id":"m","mutations":[{"id":1,"name":"setItem","args":${deep},"timestamp":0},` +
        `{"id":2,"name":"increment","args":{"by":1},"timestamp":0}]}`,
    );
    const error = await c.waitFor((m) => m.type === "mutation_error" || m.type === "error");
    expect(error).toMatchObject({ type: "mutation_error", mutation_id: 1, code: "invalid_args" });
    await c.waitFor((m) => m.type === "poke" && m.client_id_to_last_mutation_id.m === 2);
  });
});
