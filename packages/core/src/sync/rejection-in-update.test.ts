import { describe, expect, it, vi } from "vitest";
import { todoStore } from "../../test/todo-definition.js";
import { createStore } from "../client.js";
import { MutationRejectedError } from "../errors.js";
import { connectToServer } from "./connect-to-server.js";
import { FakeTransport, type FakeLink } from "./testing/fake-transport.js";

/*
 * A rejected mutation's acknowledgement may reach the client before its `mutation_error`, or
 * without it (a lost HTTP answer, a poll that overtakes, a reordering network). The update that
 * acknowledges it carries the rejection, so `confirmed` still rejects. Raw frames, as a server
 * sends them, on a real store.
 */

/** A store connected at version 0 on a fake transport, with `addTodo` "a" pending as id 1. */
async function storeWithPendingCall() {
  const transport = new FakeTransport();
  const store = createStore(todoStore, {
    space: "s1",
    userId: "u1",
    clientId: "c1",
    connect: connectToServer({ url: "ws://unused", transport, onlineSignal: null }),
  });
  await store.ready;
  await vi.waitFor(() => expect(transport.links).toHaveLength(1));
  const link: FakeLink = transport.last;
  link.open();
  link.receiveRaw('{"type":"connected","history_id":"h1","version":0,"last_mutation_id":0}');
  await vi.waitFor(() => expect(store.status.connection).toBe("online"));
  const streamed: MutationRejectedError[] = [];
  store.onRejection((e) => streamed.push(e));
  const { id, confirmed } = await store.mutate.addTodo({ id: "a", text: "A" });
  const outcome = confirmed.then(
    () => "resolved",
    (e: unknown) => e,
  );
  await vi.waitFor(() => expect(link.sentOf("push")).toHaveLength(1));
  return { store, link, id, outcome, streamed };
}

const rejected = (id: number) =>
  `"rejections":[{"mutation_id":${id},"code":"permission_denied","message":"not yours"}]`;

function expectRejected(error: unknown, id: number): void {
  expect(error).toBeInstanceOf(MutationRejectedError);
  expect(error).toMatchObject({
    code: "permission_denied",
    message: "not yours",
    mutationId: id,
    mutatorName: "addTodo",
  });
}

describe("a rejection carried by the update that acknowledges it", () => {
  it("rejects confirmed from a poke that arrives without the mutation_error, and a late mutation_error changes nothing", async () => {
    const { store, link, id, outcome, streamed } = await storeWithPendingCall();
    link.receiveRaw(
      `{"type":"poke","min_included_version":1,"max_included_version":1,"patches":[],` +
        `"client_id_to_last_mutation_id":{"c1":${id}},${rejected(id)}}`,
    );
    expectRejected(await outcome, id);
    expect(await store.query((tx) => tx.get("todos/a"))).toBeUndefined();
    // The separate message, overtaken: already settled, the stream does not hear it twice.
    link.receiveRaw(
      `{"type":"mutation_error","client_id":"c1","mutation_id":${id},"code":"permission_denied","message":"not yours"}`,
    );
    await vi.waitFor(() => expect(streamed).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 10));
    expect(streamed).toHaveLength(1);
    expectRejected(streamed[0], id);
    await store.close();
  });

  it("rejects confirmed from the pull response after a lost poke, and the pull says what the client acknowledged", async () => {
    const { store, link, id, outcome } = await storeWithPendingCall();
    // The poke of version 1 (and the mutation_error before it) were lost; version 2's gaps.
    link.receiveRaw(
      '{"type":"poke","min_included_version":2,"max_included_version":2,"patches":[],"client_id_to_last_mutation_id":{}}',
    );
    await vi.waitFor(() => expect(link.sentOf("pull")).toHaveLength(1));
    expect(link.sentOf("pull")[0]).toMatchObject({ base_version: 0, last_mutation_id: 0 });
    link.receiveRaw(
      `{"type":"pull_response","min_included_version":1,"max_included_version":2,"patches":[],` +
        `"client_id_to_last_mutation_id":{"c1":${id}},${rejected(id)}}`,
    );
    expectRejected(await outcome, id);
    await store.close();
  });

  it("rejects confirmed from the last part of a snapshot in parts", async () => {
    const { store, link, id, outcome } = await storeWithPendingCall();
    link.receiveRaw(
      '{"type":"pull_response","min_included_version":0,"max_included_version":3,' +
        '"patches":[{"op":"reset"},{"op":"set","key":"counter","value":1}],"client_id_to_last_mutation_id":{},"more":true}',
    );
    link.receiveRaw(
      `{"type":"pull_response","min_included_version":0,"max_included_version":3,` +
        `"patches":[{"op":"set","key":"items/x","value":2}],"client_id_to_last_mutation_id":{"c1":${id}},${rejected(id)}}`,
    );
    expectRejected(await outcome, id);
    expect(await store.query((tx) => tx.get("counter"))).toBe(1);
    await store.close();
  });

  it("resolves confirmed when the acknowledging update lists no rejection of it", async () => {
    const { store, link, id, outcome } = await storeWithPendingCall();
    link.receiveRaw(
      `{"type":"poke","min_included_version":1,"max_included_version":1,` +
        `"patches":[{"op":"set","key":"todos/a","value":{"id":"a","text":"A","done":false}}],` +
        `"client_id_to_last_mutation_id":{"c1":${id}},${rejected(id + 1)}}`,
    );
    expect(await outcome).toBe("resolved");
    await store.close();
  });
});
