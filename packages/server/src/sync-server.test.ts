import type {
  MutationErrorMessage,
  PokeMessage,
  PullResponseMessage,
  ServerMessage,
} from "@synced-store/core/protocol";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStorage } from "./storage/sqlite.js";
import { startTestServer, type TestServer } from "./test-support/test-server.js";
import type { RawClient } from "./test-support/raw-client.js";

const isPoke = (m: ServerMessage): m is PokeMessage => m.type === "poke";
const isPull = (m: ServerMessage): m is PullResponseMessage => m.type === "pull_response";
const isMutationError = (m: ServerMessage): m is MutationErrorMessage => m.type === "mutation_error";

/** Waits until `client` was poked up to at least `version`. */
async function pokedTo(client: RawClient, version: number) {
  await client.waitFor((m) => isPoke(m) && m.max_included_version >= version);
}

/** The state a client holds after applying every poke and pull response it got, in order. */
function stateOf(client: RawClient): Map<string, unknown> {
  const state = new Map<string, unknown>();
  for (const m of client.messages) {
    if (!isPoke(m) && !isPull(m)) continue;
    for (const p of m.patches) {
      if (p.op === "reset") state.clear();
      else if (p.op === "set") state.set(p.key, p.value);
      else state.delete(p.key);
    }
  }
  return state;
}

let t: TestServer;
afterEach(async () => {
  await t.close();
});

describe("push", () => {
  it("applies mutations, bumps the version and pokes every client with the client's last mutation id", async () => {
    t = await startTestServer();
    const a = await t.connected("alice", "ca");
    const b = await t.connected("bob", "cb");
    a.send({
      type: "push",
      client_id: "ca",
      mutations: [
        { id: 1, name: "setItem", args: { id: "1", text: "one" }, timestamp: 0 },
        { id: 2, name: "increment", args: { by: 2 }, timestamp: 0 },
      ],
    });
    await pokedTo(a, 1);
    await pokedTo(b, 1);
    const poke = a.messages.find(isPoke)!;
    expect(poke.min_included_version).toBe(1);
    expect(poke.max_included_version).toBe(1);
    expect(poke.client_id_to_last_mutation_id).toEqual({ ca: 2 });
    expect(stateOf(a)).toEqual(
      new Map<string, unknown>([
        ["items/1", { text: "one" }],
        ["counter", 2],
      ]),
    );
    expect(stateOf(b)).toEqual(stateOf(a));
    expect(b.messages.find(isPoke)!.client_id_to_last_mutation_id).toEqual({});
  });

  it("skips duplicates: a re-pushed mutation is applied once", async () => {
    t = await startTestServer();
    const a = await t.connected("alice", "ca");
    const inc = { id: 1, name: "increment", args: { by: 1 }, timestamp: 0 };
    a.send({ type: "push", client_id: "ca", mutations: [inc] });
    a.send({ type: "push", client_id: "ca", mutations: [inc, { ...inc, id: 2 }] });
    a.send({ type: "push", client_id: "ca", mutations: [inc, { ...inc, id: 2 }] });
    await a.roundTrip();
    await t.server.settled();
    await pokedTo(a, 2);
    expect(stateOf(a).get("counter")).toBe(2);
    expect(t.server.metrics.mutationsSkipped).toBe(3);
  });

  it("stops at a gap and tells the client where to resume", async () => {
    t = await startTestServer();
    const a = await t.connected("alice", "ca");
    a.send({
      type: "push",
      client_id: "ca",
      mutations: [
        { id: 1, name: "increment", args: { by: 1 }, timestamp: 0 },
        { id: 3, name: "increment", args: { by: 10 }, timestamp: 0 },
      ],
    });
    const gap = await a.waitFor((m) => m.type === "error");
    expect(gap).toMatchObject({ type: "error", code: "mutation_gap", last_mutation_id: 1 });
    await pokedTo(a, 1);
    expect(stateOf(a).get("counter")).toBe(1);
  });

  it.each([
    ["unknown mutator", { name: "nope", args: {} }, "unknown_mutator"],
    ["invalid args", { name: "setItem", args: { id: 5 } }, "invalid_args"],
    ["a mutator that throws", { name: "failAfterWrite", args: { id: "z" } }, "mutator_failed"],
    ["a schema-invalid write", { name: "badValue", args: {} }, "invalid_value"],
    [
      "a write to another user's private key",
      { name: "setNote", args: { text: "x", owner: "bob" } },
      "permission_denied",
    ],
    ["a key over the limit", { name: "setItem", args: { id: "k".repeat(300), text: "x" } }, "key_too_large"],
    ["a value over the limit", { name: "setSecret", args: { value: "v".repeat(300) } }, "value_too_large"],
  ])(
    "rejects %s: only that mutation, its writes rolled back, last mutation id advanced",
    async (_, bad, code) => {
      t = await startTestServer({ limits: { maxKeyLength: 200, maxValueBytes: 200 } });
      const a = await t.connected("alice", "ca");
      const b = await t.connected("bob", "cb");
      a.send({
        type: "push",
        client_id: "ca",
        mutations: [
          { id: 1, name: "setItem", args: { id: "before", text: "1" }, timestamp: 0 },
          { id: 2, ...bad, timestamp: 0 },
          { id: 3, name: "setItem", args: { id: "after", text: "3" }, timestamp: 0 },
        ],
      });
      const error = await a.waitFor(isMutationError);
      expect(error).toMatchObject({ client_id: "ca", mutation_id: 2, code });
      await pokedTo(a, 1);
      await pokedTo(b, 1);
      expect(a.messages.find(isPoke)!.client_id_to_last_mutation_id).toEqual({ ca: 3 });
      expect([...stateOf(a).keys()].sort()).toEqual(["items/after", "items/before"]);
      expect(b.messages.some(isMutationError)).toBe(false);
      expect(t.server.metrics.mutationsRejected).toBe(1);
    },
  );

  it("uses server overrides instead of the shared mutator", async () => {
    t = await startTestServer({
      overrides: {
        test: {
          setItem: {
            run: (tx, a: { id: string; text: string }) =>
              tx.set(`items/${a.id}`, { text: a.text.toUpperCase() }),
          },
        },
      },
    });
    const a = await t.connected("alice", "ca");
    a.send({
      type: "push",
      client_id: "ca",
      mutations: [{ id: 1, name: "setItem", args: { id: "1", text: "hi" }, timestamp: 0 }],
    });
    await pokedTo(a, 1);
    expect(stateOf(a).get("items/1")).toEqual({ text: "HI" });
  });

  it("gives mutators reads of earlier mutations in the same batch, including scans", async () => {
    t = await startTestServer();
    const a = await t.connected("alice", "ca");
    a.send({
      type: "push",
      client_id: "ca",
      mutations: [
        { id: 1, name: "setItem", args: { id: "b", text: "" }, timestamp: 0 },
        { id: 2, name: "setItem", args: { id: "a", text: "" }, timestamp: 0 },
        { id: 3, name: "delItem", args: { id: "b" }, timestamp: 0 },
        { id: 4, name: "setItem", args: { id: "c", text: "" }, timestamp: 0 },
        { id: 5, name: "countItems", args: {}, timestamp: 0 },
      ],
    });
    await pokedTo(a, 1);
    expect(stateOf(a).get("counter")).toBe(2);
  });

  it("rejects a mutator that does not finish in time and goes on with the batch", async () => {
    t = await startTestServer({ limits: { mutatorTimeoutMs: 50 } });
    const a = await t.connected("alice", "ca");
    a.send({
      type: "push",
      client_id: "ca",
      mutations: [
        { id: 1, name: "hang", args: {}, timestamp: 0 },
        { id: 2, name: "increment", args: { by: 1 }, timestamp: 0 },
      ],
    });
    expect(await a.waitFor(isMutationError)).toMatchObject({ mutation_id: 1, code: "mutator_failed" });
    await pokedTo(a, 1);
    expect(stateOf(a).get("counter")).toBe(1);
  });

  it("replays a rejection to a client that reconnects before it heard of it", async () => {
    t = await startTestServer();
    const a = await t.connected("alice", "ca");
    a.send({
      type: "push",
      client_id: "ca",
      mutations: [
        { id: 1, name: "increment", args: { by: 1 }, timestamp: 0 },
        { id: 2, name: "failAfterWrite", args: { id: "x" }, timestamp: 0 },
      ],
    });
    await pokedTo(a, 1);
    a.close();
    const again = await t.client();
    const connected = await again.connect({
      space: "test/1",
      clientId: "ca",
      auth: "alice",
      lastMutationId: 1,
      baseVersion: 0,
    });
    expect(connected).toMatchObject({ type: "connected", last_mutation_id: 2 });
    const replayed = await again.waitFor(isMutationError);
    expect(replayed).toMatchObject({ mutation_id: 2, code: "mutator_failed", message: "refusing x" });
    expect(again.messages.indexOf(replayed)).toBe(1);
  });
});

describe("rejections across a restart", () => {
  it("replays a rejection stored in SQLite to a client reconnecting to a restarted server", async () => {
    const dir = mkdtempSync(join(tmpdir(), "synced-store-rejections-"));
    try {
      const path = join(dir, "r.db");
      t = await startTestServer({ storage: openSqliteStorage({ path }) });
      const a = await t.connected("alice", "ca");
      a.send({
        type: "push",
        client_id: "ca",
        mutations: [
          { id: 1, name: "increment", args: { by: 1 }, timestamp: 0 },
          { id: 2, name: "failAfterWrite", args: { id: "y" }, timestamp: 0 },
          { id: 3, name: "increment", args: { by: 1 }, timestamp: 0 },
        ],
      });
      await a.waitFor((m) => isPoke(m) && m.client_id_to_last_mutation_id.ca === 3);
      await t.close();
      t = await startTestServer({ storage: openSqliteStorage({ path }) });
      const again = await t.client();
      const reply = await again.connect({
        space: "test/1",
        clientId: "ca",
        auth: "alice",
        lastMutationId: 1,
      });
      expect(reply).toMatchObject({ type: "connected", last_mutation_id: 3 });
      expect(await again.waitFor(isMutationError)).toMatchObject({
        mutation_id: 2,
        code: "mutator_failed",
        message: "refusing y",
      });
      expect(again.messages.filter(isMutationError)).toHaveLength(1);
    } finally {
      await t.close();
      t = await startTestServer();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("group commit", () => {
  it("commits pushes queued together from many connections as one version each group, applied once each", async () => {
    t = await startTestServer();
    const frames: string[][] = [];
    const handles = Array.from({ length: 20 }, () => {
      const mine: string[] = [];
      frames.push(mine);
      return t.server.connect(
        (f) => mine.push(f),
        () => undefined,
      );
    });
    handles.forEach((h, i) =>
      h.handleMessage(
        JSON.stringify({
          type: "connect",
          space: "test/g",
          client_id: `c${i}`,
          auth: `u${i}`,
          history_id: null,
          base_version: 0,
          last_mutation_id: 0,
          schema_version: 1,
        }),
      ),
    );
    await Promise.all(handles.map((h) => h.idle()));
    for (const [i, h] of handles.entries()) {
      for (let id = 1; id <= 3; id++) {
        h.handleMessage(
          JSON.stringify({
            type: "push",
            client_id: `c${i}`,
            mutations: [{ id, name: "increment", args: { by: 1 }, timestamp: 0 }],
          }),
        );
      }
    }
    await Promise.all(handles.map((h) => h.idle()));
    await t.server.settled();
    expect(t.server.metrics.pushes).toBe(60);
    expect(t.server.metrics.mutationsApplied).toBe(60);
    expect(t.server.metrics.commits).toBeLessThan(60);
    const last = frames[0]!
      .map((f) => JSON.parse(f) as ServerMessage)
      .filter(isPoke)
      .at(-1)!;
    const counter = last.patches.find((p) => p.op === "set" && p.key === "counter");
    expect(counter).toEqual({ op: "set", key: "counter", value: 60 });
    handles.forEach((h) => h.close());
  });
});
