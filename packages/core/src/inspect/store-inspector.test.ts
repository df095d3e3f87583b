import { describe, expect, it, vi } from "vitest";
import { todoStore } from "../../test/todo-definition.js";
import { createStore } from "../client.js";
import type { PeerTarget } from "../store/peer-target.js";
import { connectToServer } from "../sync/connect-to-server.js";
import { FakeTransport, type FakeLink } from "../sync/testing/fake-transport.js";
import { OrderedMap } from "../kv/ordered-map.js";
import type { NetworkEntry } from "./inspection.js";
import { Inspector } from "./store-inspector.js";

/** A store on a fake transport, connected at version 0, with the clock at `clock.now`. */
async function connectedStore(options: { inspect?: boolean } = {}) {
  const transport = new FakeTransport();
  const clock = { now: 1_000 };
  let peers: PeerTarget | undefined;
  const store = createStore(todoStore, {
    space: "s1",
    userId: "u1",
    clientId: "c1",
    now: () => clock.now,
    peers: (target) => {
      peers = target;
      return () => undefined;
    },
    connect: connectToServer({ url: "ws://unused", transport, onlineSignal: null }),
    ...options,
  });
  await store.ready;
  await vi.waitFor(() => expect(transport.links).toHaveLength(1));
  const link: FakeLink = transport.last;
  return { store, transport, link, clock, peers: () => peers! };
}

function handshake(link: FakeLink): void {
  link.open();
  link.receive({ type: "connected", history_id: "h1", version: 0, last_mutation_id: 0 });
}

const frames = (network: readonly NetworkEntry[]) =>
  network.flatMap((e) => (e.kind === "frame" ? [`${e.direction} ${e.type} ${e.summary}`.trim()] : []));

describe("store.inspect()", () => {
  it("records nothing before the first call, then frames and connection steps", async () => {
    const { store, link } = await connectedStore();
    link.open();
    await vi.waitFor(() => expect(link.sentOf("connect")).toHaveLength(1));
    const inspector = store.inspect();
    expect(inspector.snapshot().network).toEqual([]);
    link.receive({ type: "connected", history_id: "h1", version: 0, last_mutation_id: 0 });
    await vi.waitFor(() => expect(store.status.connection).toBe("online"));
    await store.mutate.addTodo({ id: "a", text: "A" });
    await vi.waitFor(() => expect(link.sentOf("push")).toHaveLength(1));
    const network = inspector.snapshot().network;
    expect(frames(network)).toEqual(["in connected v0 lmid 0", "out push #1 addTodo"]);
    expect(
      network.filter((e) => e.kind === "connection").map((e) => e.kind === "connection" && e.step),
    ).toEqual(["connected"]);
    const push = network.find((e) => e.kind === "frame" && e.type === "push");
    expect(push).toMatchObject({ direction: "out", truncated: false });
    expect(push?.kind === "frame" && JSON.parse(push.text)).toMatchObject({ type: "push", client_id: "c1" });
    expect(push?.kind === "frame" && push.bytes).toBe(push?.kind === "frame" && push.text.length);
    await store.close();
  });

  it("follows a mutation from pending (not pushed, then pushed) to acknowledged", async () => {
    const { store, link, clock } = await connectedStore({ inspect: true });
    const inspector = store.inspect();
    await store.mutate.addTodo({ id: "a", text: "A" });
    clock.now = 1_250;
    expect(inspector.snapshot().pending).toEqual([
      {
        clientId: "c1",
        ownTab: true,
        id: 1,
        name: "addTodo",
        args: { id: "a", text: "A" },
        timestamp: 1_000,
        ageMs: 250,
        pushed: false,
      },
    ]);
    handshake(link);
    await vi.waitFor(() => expect(link.sentOf("push")).toHaveLength(1));
    expect(inspector.snapshot().pending[0]?.pushed).toBe(true);
    link.receive({
      type: "poke",
      min_included_version: 1,
      max_included_version: 1,
      patches: [{ op: "set", key: "todos/a", value: { id: "a", text: "A", done: false } }],
      client_id_to_last_mutation_id: { c1: 1 },
    });
    await vi.waitFor(() => expect(store.status.pendingCount).toBe(0));
    const snap = inspector.snapshot();
    expect(snap).toMatchObject({ clientId: "c1", historyId: "h1", baseVersion: 1, lastAcknowledgedId: 1 });
    expect(snap.pending).toEqual([]);
    expect(snap.acknowledged).toEqual([
      {
        id: 1,
        name: "addTodo",
        args: { id: "a", text: "A" },
        outcome: "acknowledged",
        at: 1_250,
        version: 1,
      },
    ]);
    expect(snap.rejections).toEqual([]);
    // Recorded from creation: the handshake is in the log, with the steps of the connection loop.
    expect(frames(snap.network)).toEqual([
      "out connect base v0 lmid 0",
      "in connected v0 lmid 0",
      "out push #1 addTodo",
      "in poke v1..v1 1 patch lmid 1",
    ]);
    expect(snap.network.flatMap((e) => (e.kind === "connection" ? [e.step] : []))).toEqual([
      "opening",
      "open",
      "connected",
    ]);
    await store.close();
  });

  it("keeps rejections with the server's reason and the mutation's args", async () => {
    const { store, link } = await connectedStore({ inspect: true });
    handshake(link);
    const handle = await store.mutate.addTodo({ id: "x", text: "too long" });
    await vi.waitFor(() => expect(link.sentOf("push")).toHaveLength(1));
    link.receive({
      type: "mutation_error",
      client_id: "c1",
      mutation_id: 1,
      code: "mutator_failed",
      message: "Too long",
    });
    link.receive({
      type: "poke",
      min_included_version: 1,
      max_included_version: 1,
      patches: [],
      client_id_to_last_mutation_id: { c1: 1 },
    });
    await expect(handle.confirmed).rejects.toThrow("Too long");
    const snap = store.inspect().snapshot();
    expect(snap.rejections).toEqual([
      {
        id: 1,
        name: "addTodo",
        args: { id: "x", text: "too long" },
        outcome: "rejected",
        code: "mutator_failed",
        message: "Too long",
        at: 1_000,
        version: 1,
      },
    ]);
    expect(snap.acknowledged).toEqual([]);
    expect(frames(snap.network)).toContain("in mutation_error #1 mutator_failed");
    await store.close();
  });

  it("shows other tabs' pending mutations, marked as theirs", async () => {
    const { store, peers } = await connectedStore();
    await store.mutate.addTodo({ id: "mine", text: "M" });
    await peers().applyPeerMutations(
      "c2",
      [{ id: 4, name: "addTodo", args: { id: "theirs", text: "T" }, timestamp: 900 }],
      true,
    );
    const pending = store.inspect().snapshot().pending;
    expect(pending.map((m) => [m.clientId, m.id, m.ownTab, m.pushed])).toEqual([
      ["c1", 1, true, false],
      ["c2", 4, false, null],
    ]);
    expect(pending[1]?.args).toEqual({ id: "theirs", text: "T" });
    await store.close();
  });

  it("lists subscriptions with their read sets and how often they ran and fired", async () => {
    const { store } = await connectedStore();
    const inspector = store.inspect();
    const onList = vi.fn();
    const onCounter = vi.fn();
    store.subscribe(function todoList(tx) {
      return tx.scan({ prefix: "todos/" });
    }, onList);
    store.subscribe(async (tx) => ((await tx.get("counter")) ?? 0) > 0, onCounter);
    await vi.waitFor(() => expect(onCounter).toHaveBeenCalledTimes(1));
    await store.mutate.addTodo({ id: "a", text: "A" });
    await vi.waitFor(() => expect(onList).toHaveBeenCalledTimes(2));
    await store.mutate.increment(1);
    await vi.waitFor(() => expect(onCounter).toHaveBeenCalledTimes(2));
    // Same result: the counter query runs again but does not fire.
    await store.mutate.increment(1);
    await vi.waitFor(() => expect(inspector.snapshot().subscriptions[1]?.runs).toBe(3));
    const [list, counter] = inspector.snapshot().subscriptions;
    expect(list).toMatchObject({ id: 1, label: "todoList", keys: [], runs: 2, fires: 2, errors: 0 });
    expect(list?.ranges).toEqual([{ prefix: "todos/", from: "todos/" }]);
    expect(counter).toMatchObject({ id: 2, keys: ["counter"], ranges: [], runs: 3, fires: 2 });
    expect(counter?.label).toContain('tx.get("counter")');
    await store.close();
  });

  it("browses keys: base and pending merged in order, searchable, base vs. pending per key", async () => {
    const { store, link } = await connectedStore({ inspect: true });
    handshake(link);
    link.receive({
      type: "poke",
      min_included_version: 1,
      max_included_version: 1,
      patches: [
        { op: "set", key: "todos/a", value: { id: "a", text: "A", done: false } },
        { op: "set", key: "todos/c", value: { id: "c", text: "C", done: false } },
      ],
      client_id_to_last_mutation_id: {},
    });
    await vi.waitFor(() => expect(store.inspect().snapshot().baseVersion).toBe(1));
    link.close(); // stay offline: what follows stays pending
    await store.mutate.addTodo({ id: "b", text: "B" });
    await store.mutate.toggle({ id: "a" });
    await store.mutate.removeTodo("c");
    const inspector = store.inspect();
    expect(inspector.keys()).toEqual(["todos/a", "todos/b", "todos/c"]);
    expect(inspector.keys()).toBe(inspector.keys());
    expect(inspector.keys("B")).toEqual(["todos/b"]);
    expect(inspector.entry("todos/a")).toEqual({
      key: "todos/a",
      inBase: true,
      base: { id: "a", text: "A", done: false },
      pending: "set",
      value: { id: "a", text: "A", done: true },
    });
    expect(inspector.entry("todos/b")).toMatchObject({ inBase: false, base: undefined, pending: "set" });
    expect(inspector.entry("todos/c")).toMatchObject({ inBase: true, pending: "deleted", value: undefined });
    expect(inspector.entry("todos/zzz")).toBeUndefined();
    expect(inspector.snapshot()).toMatchObject({ baseKeyCount: 2, pendingKeyCount: 3 });
    await store.close();
  });

  it("keeps the same snapshot until something changes", async () => {
    const { store } = await connectedStore();
    const inspector = store.inspect();
    const first = inspector.snapshot();
    expect(inspector.snapshot()).toBe(first);
    await store.mutate.increment(1);
    const second = inspector.snapshot();
    expect(second).not.toBe(first);
    expect(second.pending).toHaveLength(1);
    expect(inspector.snapshot()).toBe(second);
    await store.close();
  });
});

describe("Inspector", () => {
  /** Timers the test fires by hand. */
  function manualTimers() {
    const due: Array<() => void> = [];
    return {
      due,
      timers: {
        setTimeout: (callback: () => void) => due.push(callback),
        clearTimeout: () => undefined,
        now: () => 0,
        random: () => 0,
      },
    };
  }

  const source = {
    spaceId: "todo/s",
    userId: "u",
    clientId: "c1",
    historyId: () => null,
    baseVersion: () => 0,
    lastAcknowledgedId: () => 0,
    status: () => ({
      connection: "offline" as const,
      pendingCount: 0,
      syncing: false,
      lastError: null,
      updateNeeded: null,
    }),
    layers: () => ({ base: new OrderedMap<unknown>(), overlay: new OrderedMap<unknown>() }),
    inspectPending: () => [],
    subscriptions: () => [],
    onChange: () => () => undefined,
    onStatusChange: () => () => undefined,
  };
  const pong = { type: "pong" } as const;

  it("taps do nothing until recording starts", () => {
    const inspector = new Inspector();
    inspector.attach(source);
    inspector.frame("in", '{"type":"pong"}', pong);
    inspector.connection({ step: "opening", transport: "websocket" });
    expect(inspector.snapshot().network).toEqual([]);
    inspector.start().frame("in", '{"type":"pong"}', pong);
    expect(inspector.snapshot().network).toHaveLength(1);
  });

  it("notifies subscribers once per throttle interval, however many events", () => {
    const { due, timers } = manualTimers();
    const inspector = new Inspector({ timers, throttleMs: 100 });
    inspector.attach(source);
    const listener = vi.fn();
    inspector.subscribe(listener);
    for (let i = 0; i < 50; i++) inspector.frame("in", '{"type":"pong"}', pong);
    expect(listener).not.toHaveBeenCalled();
    expect(due).toHaveLength(1);
    due.shift()!();
    expect(listener).toHaveBeenCalledTimes(1);
    inspector.frame("in", '{"type":"pong"}', pong);
    expect(due).toHaveLength(1);
  });

  it("bounds the network log in entries and in bytes, and cuts long frames", () => {
    const inspector = new Inspector({ maxNetworkEntries: 10, maxNetworkBytes: 3_000, maxFrameChars: 200 });
    inspector.attach(source).start();
    for (let i = 0; i < 25; i++) inspector.frame("in", '{"type":"pong"}', pong);
    let network = inspector.snapshot().network;
    expect(network).toHaveLength(10);
    expect(network[0]?.seq).toBe(16); // the newest kept
    const big = JSON.stringify({ type: "error", code: "internal", message: "é".repeat(1_000) });
    for (let i = 0; i < 10; i++)
      inspector.frame("in", big, { type: "error", code: "internal", message: "é".repeat(1_000) });
    network = inspector.snapshot().network;
    // 200 kept characters cost 400 bytes each: 7 fit in 3,000.
    expect(network).toHaveLength(7);
    expect(network[6]).toMatchObject({ truncated: true, bytes: big.length + 1_000, summary: "internal" });
    expect(network[6]?.kind === "frame" && network[6].text).toHaveLength(200);
    inspector.clearNetwork();
    expect(inspector.snapshot().network).toEqual([]);
  });
});
