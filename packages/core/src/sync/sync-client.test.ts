import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { OfflineError, SyncedStoreError } from "../errors.js";
import type { PokeMessage } from "../protocol/messages.js";
import { SyncClient, type SyncClientOptions } from "./sync-client.js";
import { FakeSyncTarget } from "./testing/fake-sync-target.js";
import { FakeTransport } from "./testing/fake-transport.js";
import { systemTimers } from "./timers.js";

const timers = { ...systemTimers, random: () => 0.5 };
const settle = () => vi.advanceTimersByTimeAsync(0);

function poke(min: number, max: number, lmid?: number, patches: PokeMessage["patches"] = []): PokeMessage {
  return {
    type: "poke",
    min_included_version: min,
    max_included_version: max,
    patches,
    client_id_to_last_mutation_id: lmid === undefined ? {} : { c1: lmid },
  };
}

function setup(extra: Partial<SyncClientOptions> = {}) {
  const target = new FakeSyncTarget();
  const transport = new FakeTransport();
  const onError = vi.fn();
  const client = new SyncClient({
    target,
    spaceId: "todo/list-1",
    schemaVersion: 3,
    transport,
    auth: "token-a",
    timers,
    onError,
    ...extra,
  });
  /** Opens the next connection and answers `connect` as a server at `version` would. */
  const connect = async (version = 0, lastMutationId = 0, historyId = "h1") => {
    await settle();
    transport.last.open();
    await settle();
    transport.last.receive({
      type: "connected",
      history_id: historyId,
      version,
      last_mutation_id: lastMutationId,
    });
    await settle();
    return transport.last;
  };
  return { target, transport, client, onError, connect };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("SyncClient connection", () => {
  it("never starts again once disposed (a page's online handler may still call start)", async () => {
    const { transport, client, connect } = setup();
    client.start();
    await connect();
    client.dispose();
    client.start();
    client.reconnectNow();
    await settle();
    expect(transport.links).toHaveLength(1);
    expect(client.status.connection).toBe("offline");
  });

  it("sends connect with its state, and goes online on connected", async () => {
    const { target, transport, client, connect } = setup();
    target.history = "h1";
    target.version = 4;
    target.acked = 2;
    expect(client.status.connection).toBe("offline");
    client.start();
    expect(client.status.connection).toBe("connecting");
    const link = await connect(4, 2);
    expect(link.sentOf("connect")).toEqual([
      {
        type: "connect",
        space: "todo/list-1",
        client_id: "c1",
        auth: "token-a",
        history_id: "h1",
        base_version: 4,
        last_mutation_id: 2,
        schema_version: 3,
      },
    ]);
    expect(client.status).toMatchObject({ connection: "online", lastError: null });
    expect(transport.links).toHaveLength(1);
    // Already up to date: no pull.
    expect(link.sentOf("pull")).toEqual([]);
  });

  it("asks an auth function on every connect", async () => {
    let n = 0;
    const { client, connect, transport } = setup({ auth: () => Promise.resolve(`t${++n}`) });
    client.start();
    await connect();
    transport.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(300);
    transport.last.open();
    await settle();
    expect(transport.links.map((l) => l.sentOf("connect")[0]?.auth)).toEqual(["t1", "t2"]);
  });

  it("reconnects with exponential backoff and jitter, and resets it once connected", async () => {
    const { transport, client, connect } = setup({ backoff: { initialDelayMs: 100, maxDelayMs: 1000 } });
    client.start();
    await settle();
    // Each failed open waits 100, 200, 400, 800, 1000 (×0.75 with random() = 0.5).
    const expected = [75, 150, 300, 600, 750, 750];
    for (const delay of expected) {
      const count = transport.links.length;
      transport.last.serverClose(1006);
      expect(client.status.connection).toBe("offline");
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(transport.links).toHaveLength(count);
      await vi.advanceTimersByTimeAsync(1);
      expect(transport.links).toHaveLength(count + 1);
    }
    await connect();
    transport.last.serverClose(1006);
    const count = transport.links.length;
    await vi.advanceTimersByTimeAsync(75);
    expect(transport.links).toHaveLength(count + 1);
  });

  it("waits at least the server's retry_after_ms before reconnecting after a rate limit", async () => {
    const { transport, client, connect } = setup({ backoff: { initialDelayMs: 100, maxDelayMs: 1000 } });
    client.start();
    await connect();
    const count = transport.links.length;
    transport.last.serverClose(1011, "HTTP 429 from http://host/sync/push", 5000);
    await vi.advanceTimersByTimeAsync(4999);
    expect(transport.links).toHaveLength(count);
    await vi.advanceTimersByTimeAsync(1);
    expect(transport.links).toHaveLength(count + 1);
  });

  it("gives up a connection that never completes the handshake", async () => {
    const { transport, client } = setup({ connectTimeoutMs: 1000 });
    client.start();
    await settle();
    transport.last.open();
    await vi.advanceTimersByTimeAsync(1000);
    expect(transport.last.closed).toBe(true);
    expect(client.status.lastError?.message).toMatch(/Timed out/);
  });

  it("pings, and drops a connection that stays silent after a ping", async () => {
    const { transport, client, connect } = setup({ heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 500 });
    client.start();
    const link = await connect();
    await vi.advanceTimersByTimeAsync(1000);
    expect(link.sentOf("ping")).toHaveLength(1);
    link.receive({ type: "pong" });
    await vi.advanceTimersByTimeAsync(1000);
    expect(link.sentOf("ping")).toHaveLength(2);
    expect(link.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(500);
    expect(link.closed).toBe(true);
    expect(client.status.connection).toBe("offline");
    expect(client.status.lastError?.message).toMatch(/heartbeat/);
    await vi.advanceTimersByTimeAsync(1000);
    expect(transport.links).toHaveLength(2);
  });

  it("falls back to the HTTP transport after WebSocket fails to open", async () => {
    const http = new FakeTransport("http");
    const { transport, client } = setup({ fallbackTransport: http, fallbackAfterFailures: 2 });
    client.start();
    await settle();
    transport.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(10_000);
    transport.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(transport.links).toHaveLength(2);
    expect(http.links).toHaveLength(1);
    http.last.open();
    await settle();
    http.last.receive({ type: "connected", history_id: "h1", version: 0, last_mutation_id: 0 });
    await settle();
    expect(client.status.connection).toBe("online");
    // Without pokes, the client polls.
    await vi.advanceTimersByTimeAsync(2000);
    expect(http.last.sentOf("pull")).toHaveLength(1);
    // When HTTP fails too, WebSocket gets one more try before falling back again.
    http.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(transport.links).toHaveLength(3);
    transport.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(http.links).toHaveLength(2);
  });

  it("goes back to WebSocket when the network returns, though it fell back to HTTP while offline", async () => {
    const http = new FakeTransport("http");
    const { transport, client } = setup({ fallbackTransport: http, fallbackAfterFailures: 2 });
    client.start();
    await settle();
    // Offline: both WebSocket opens fail, so the next connection would be HTTP.
    transport.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(10_000);
    transport.last.serverClose(1006);
    await settle();
    // Back online before the retry: WebSocket, not HTTP.
    client.reconnectNow();
    await settle();
    expect(transport.links).toHaveLength(3);
    expect(http.links).toHaveLength(0);

    // Offline again, and this time the HTTP connection is up when the network returns.
    transport.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(10_000);
    transport.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(http.links).toHaveLength(1);
    http.last.open();
    await settle();
    http.last.receive({ type: "connected", history_id: "h1", version: 0, last_mutation_id: 0 });
    await settle();
    expect(client.status.connection).toBe("online");
    client.reconnectNow();
    await settle();
    expect(http.last.closed).toBe(true);
    expect(transport.links).toHaveLength(5);
    expect(transport.last.closed).toBe(false);
    expect(http.links).toHaveLength(1);
    // A connection on the main transport is left alone.
    client.reconnectNow();
    await settle();
    expect(transport.links).toHaveLength(5);
  });

  it("stops for good when the server no longer serves its version, with the versions in the status", async () => {
    const { transport, client, connect, onError } = setup();
    client.start();
    const link = await connect();
    link.receive({
      type: "error",
      code: "update_needed",
      message: "reload",
      client_version: 3,
      min_supported_version: 4,
      server_version: 5,
    });
    await settle();
    expect(client.status).toMatchObject({
      connection: "offline",
      lastError: { code: "update_needed", message: "reload" },
      updateNeeded: { reason: "client_too_old", clientVersion: 3, minSupportedVersion: 4, serverVersion: 5 },
    });
    expect(client.fatalError?.code).toBe("update_needed");
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: "update_needed" }));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(transport.links).toHaveLength(1);
  });

  it("keeps trying, error showing, when the server runs an older version than the app", async () => {
    const { transport, client, connect } = setup();
    client.start();
    const link = await connect();
    link.receive({
      type: "error",
      code: "server_version_behind",
      message: "wait",
      client_version: 3,
      server_version: 2,
    });
    await settle();
    expect(client.status).toMatchObject({
      connection: "offline",
      lastError: { code: "server_version_behind", message: "wait" },
      updateNeeded: null,
    });
    expect(client.fatalError).toBeNull();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(transport.links.length).toBeGreaterThan(1);
  });

  it("reconnects after a server error that leaves the connection unusable", async () => {
    const { transport, client, connect } = setup();
    client.start();
    const link = await connect();
    link.receive({ type: "error", code: "internal", message: "Space state reloaded; reconnect" });
    await settle();
    expect(link.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(transport.links).toHaveLength(2);
  });

  it("drops a connection that sends an invalid frame", async () => {
    const { client, connect, onError } = setup();
    client.start();
    const link = await connect();
    link.receiveRaw("{not json");
    expect(link.closed).toBe(true);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: "protocol_error" }));
  });

  it("adopts a new history and pulls from scratch", async () => {
    const { target, client, connect } = setup();
    target.history = "old";
    target.version = 9;
    target.acked = 5;
    target.add("m");
    client.start();
    const link = await connect(3, 1, "new");
    expect(target.adoptions).toEqual([{ historyId: "new", serverLastMutationId: 1 }]);
    expect(link.sentOf("pull")).toEqual([
      { type: "pull", client_id: "c1", base_version: 0, last_mutation_id: 1 },
    ]);
    expect(link.sentOf("push")[0]?.mutations.map((m) => m.id)).toEqual([2]);
  });
});

describe("SyncClient push, poke and pull", () => {
  it("pushes pending mutations after the server's acknowledged id, batched and capped", async () => {
    const { target, client, connect } = setup({ maxMutationsPerPush: 2 });
    target.history = "h1";
    for (let i = 0; i < 3; i++) target.add("m", { i });
    client.start();
    const link = await connect(0, 1);
    expect(link.sentOf("push").map((p) => p.mutations.map((m) => m.id))).toEqual([[2, 3]]);
    target.add("m");
    target.add("m");
    target.add("m");
    await vi.advanceTimersByTimeAsync(10);
    expect(link.sentOf("push").map((p) => p.mutations.map((m) => m.id))).toEqual([[2, 3], [4, 5], [6]]);
    // The client reports only its connection; the store adds the pending count and `syncing`.
    expect(client.status).toEqual({ connection: "online", lastError: null, updateNeeded: null });
  });

  it("spaces pushes at least minPushIntervalMs apart, batching what accumulates", async () => {
    const { target, client, connect } = setup({ minPushIntervalMs: 50 });
    target.history = "h1";
    client.start();
    const link = await connect();
    target.add("m");
    await settle();
    target.add("m");
    await settle();
    target.add("m");
    await settle();
    expect(link.sentOf("push").map((p) => p.mutations.map((m) => m.id))).toEqual([[1]]);
    await vi.advanceTimersByTimeAsync(50);
    expect(link.sentOf("push").map((p) => p.mutations.map((m) => m.id))).toEqual([[1], [2, 3]]);
  });

  it("queues offline mutations and re-sends unacknowledged ones after reconnecting", async () => {
    const { target, transport, client, connect } = setup();
    client.start();
    let link = await connect();
    target.add("a");
    target.add("b");
    await settle();
    link.serverClose(1006);
    target.add("c");
    await settle();
    expect(client.status).toMatchObject({ connection: "offline" });
    expect(target.pendingCount()).toBe(3);
    await vi.advanceTimersByTimeAsync(1000);
    // The server had processed mutation 1 before the cut.
    link = await connect(1, 1);
    expect(transport.links).toHaveLength(2);
    expect(link.sentOf("push").map((p) => p.mutations.map((m) => m.id))).toEqual([[2, 3]]);
    link.receive(poke(1, 2, 3));
    await settle();
    expect(target.pendingCount()).toBe(0);
  });

  it("applies pokes in order and pulls when one skips versions", async () => {
    const { target, client, connect } = setup();
    client.start();
    const link = await connect();
    link.receive(poke(1, 1, undefined, [{ op: "set", key: "a", value: 1 }]));
    link.receive(poke(4, 5, undefined, [{ op: "set", key: "b", value: 2 }]));
    link.receive(poke(6, 6));
    await settle();
    expect(target.version).toBe(1);
    expect(link.sentOf("pull")).toEqual([
      { type: "pull", client_id: "c1", base_version: 1, last_mutation_id: 0 },
    ]);
    link.receive({ ...poke(2, 6, undefined, [{ op: "set", key: "b", value: 2 }]), type: "pull_response" });
    await settle();
    expect(target.version).toBe(6);
    expect(Object.fromEntries(target.base)).toEqual({ a: 1, b: 2 });
    expect(link.sentOf("pull")).toHaveLength(1);
  });

  it("pulls again when pokes announced more than a pull returned", async () => {
    const { target, client, connect } = setup();
    client.start();
    const link = await connect();
    link.receive(poke(3, 3));
    await settle();
    link.receive(poke(5, 7));
    link.receive({ ...poke(1, 4), type: "pull_response" });
    await settle();
    expect(target.version).toBe(4);
    expect(link.sentOf("pull").map((p) => p.base_version)).toEqual([0, 4]);
  });

  it("records rejections for its own client only", async () => {
    const { target, client, connect } = setup();
    client.start();
    const link = await connect();
    link.receive({
      type: "mutation_error",
      client_id: "c1",
      mutation_id: 1,
      code: "mutator_failed",
      message: "no",
    });
    link.receive({
      type: "mutation_error",
      client_id: "c2",
      mutation_id: 1,
      code: "mutator_failed",
      message: "x",
    });
    await settle();
    expect(target.rejections).toEqual([{ id: 1, code: "mutator_failed", message: "no" }]);
  });

  it("re-pushes from the server's id after a mutation gap", async () => {
    const { target, client, connect } = setup();
    client.start();
    const link = await connect();
    for (let i = 0; i < 3; i++) target.add("m");
    await settle();
    link.receive({ type: "error", code: "mutation_gap", message: "gap", last_mutation_id: 1 });
    await settle();
    expect(link.sentOf("push").map((p) => p.mutations.map((m) => m.id))).toEqual([
      [1, 2, 3],
      [2, 3],
    ]);
  });
});

describe("SyncClient resync", () => {
  it("re-pushes and pulls when acknowledgements stall, and retries an unanswered pull", async () => {
    const { target, client, connect } = setup({ resyncIntervalMs: 1000 });
    target.history = "h1";
    client.start();
    const link = await connect();
    target.add("m");
    await settle();
    expect(link.sentOf("push")).toHaveLength(1);
    // First check only records the acknowledged id; the second sees no progress.
    await vi.advanceTimersByTimeAsync(1000);
    expect(link.sentOf("push")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(link.sentOf("push").map((p) => p.mutations.map((m) => m.id))).toEqual([[1], [1]]);
    expect(link.sentOf("pull")).toHaveLength(1);
    // The pull goes unanswered too: the next check asks again.
    await vi.advanceTimersByTimeAsync(1000);
    expect(link.sentOf("pull")).toHaveLength(2);
    link.receive({ ...poke(1, 1, 1), type: "pull_response" });
    await settle();
    await vi.advanceTimersByTimeAsync(3000);
    expect(link.sentOf("pull")).toHaveLength(2);
    expect(link.sentOf("push")).toHaveLength(3);
  });
});

describe("SyncClient actions", () => {
  it("rejects with OfflineError while offline", async () => {
    const { client } = setup();
    await expect(client.callAction("invite", {})).rejects.toBeInstanceOf(OfflineError);
  });

  it("resolves with the result, rejects with the server's typed error", async () => {
    const { client, connect } = setup();
    client.start();
    const link = await connect();
    const ok = client.callAction("invite", { email: "a@b" });
    const bad = client.callAction("invite", { email: "" });
    const [first, second] = link.sentOf("action");
    expect(first).toMatchObject({ name: "invite", args: { email: "a@b" } });
    link.receive({
      type: "action_result",
      request_id: second?.request_id ?? "",
      ok: false,
      error: { code: "action_failed", message: "empty" },
    });
    link.receive({
      type: "action_result",
      request_id: first?.request_id ?? "",
      ok: true,
      result: { sent: 1 },
    });
    await expect(ok).resolves.toEqual({ sent: 1 });
    const error: unknown = await bad.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncedStoreError);
    expect(error).toMatchObject({ code: "action_failed", message: "empty" });
  });

  it("rejects outstanding actions with OfflineError when the connection drops", async () => {
    const { client, connect } = setup();
    client.start();
    const link = await connect();
    const pending = client.callAction("invite", {});
    link.serverClose(1006);
    await expect(pending).rejects.toBeInstanceOf(OfflineError);
  });
});
