import { describe, expect, it, vi } from "vitest";
import { todoStore } from "../../test/todo-definition.js";
import { createStore } from "../client.js";
import { MutationRejectedError } from "../errors.js";
import { connectToServer } from "./connect-to-server.js";
import { FakeTransport } from "./testing/fake-transport.js";

describe("connectToServer with createStore", () => {
  it("pushes mutations, settles them on a poke, surfaces rejections and status", async () => {
    const transport = new FakeTransport();
    const store = createStore(todoStore, {
      space: "s1",
      userId: "u1",
      clientId: "c1",
      connect: connectToServer({ url: "ws://unused", transport, auth: "t" }),
    });
    await store.ready;
    const a = await store.mutate.addTodo({ id: "a", text: "A" });
    await vi.waitFor(() => expect(transport.links).toHaveLength(1));
    const link = transport.last;
    link.open();
    await vi.waitFor(() => expect(link.sentOf("connect")).toHaveLength(1));
    expect(link.sentOf("connect")[0]).toMatchObject({ space: "todo/s1", client_id: "c1", auth: "t" });
    link.receive({ type: "connected", history_id: "h", version: 0, last_mutation_id: 0 });
    await vi.waitFor(() => expect(store.status).toMatchObject({ connection: "online", syncing: true }));
    await vi.waitFor(() => expect(link.sentOf("push")).toHaveLength(1));
    const b = await store.mutate.addTodo({ id: "b", text: "B" });
    await vi.waitFor(() => expect(link.sentOf("push")).toHaveLength(2));
    expect(link.sentOf("push").flatMap((p) => p.mutations.map((m) => m.name))).toEqual([
      "addTodo",
      "addTodo",
    ]);
    link.receive({
      type: "mutation_error",
      client_id: "c1",
      mutation_id: 2,
      code: "mutator_failed",
      message: "nope",
    });
    link.receive({
      type: "poke",
      min_included_version: 1,
      max_included_version: 1,
      patches: [{ op: "set", key: "todos/a", value: { id: "a", text: "A", done: false } }],
      client_id_to_last_mutation_id: { c1: 2 },
    });
    await expect(a.confirmed).resolves.toBeUndefined();
    const error: unknown = await b.confirmed.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MutationRejectedError);
    expect(error).toMatchObject({
      code: "mutator_failed",
      message: expect.stringContaining("nope") as unknown,
    });
    await vi.waitFor(() => expect(store.status).toMatchObject({ pendingCount: 0, syncing: false }));
    expect(await store.query((tx) => tx.scan({ prefix: "todos/" }))).toEqual([
      { key: "todos/a", value: { id: "a", text: "A", done: false } },
    ]);
    await store.close();
    expect(link.closed).toBe(true);
  });

  it("reconnects at once when the device comes back online", async () => {
    const transport = new FakeTransport();
    const signal = new EventTarget();
    const store = createStore(todoStore, {
      space: "s1",
      userId: "u1",
      connect: connectToServer({
        url: "ws://unused",
        transport,
        onlineSignal: signal,
        backoff: { initialDelayMs: 60_000 },
      }),
    });
    await vi.waitFor(() => expect(transport.links).toHaveLength(1));
    transport.last.serverClose(1006);
    await vi.waitFor(() => expect(store.status.connection).toBe("offline"));
    signal.dispatchEvent(new Event("online"));
    expect(transport.links).toHaveLength(2);
    await store.close();
    signal.dispatchEvent(new Event("online"));
    expect(transport.links).toHaveLength(2);
  });

  it("drops the connection at once when the device goes offline, and keeps trying", async () => {
    const transport = new FakeTransport();
    const signal = new EventTarget();
    const store = createStore(todoStore, {
      space: "s1",
      userId: "u1",
      connect: connectToServer({ url: "ws://unused", transport, onlineSignal: signal }),
    });
    await vi.waitFor(() => expect(transport.links).toHaveLength(1));
    const first = transport.last;
    signal.dispatchEvent(new Event("offline"));
    expect(first.closed).toBe(true);
    await vi.waitFor(() => expect(transport.links).toHaveLength(2));
    await store.close();
    signal.dispatchEvent(new Event("offline"));
    expect(transport.links).toHaveLength(2);
  });
});
