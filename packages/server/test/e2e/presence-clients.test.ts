import {
  connectToServer,
  createStore,
  httpTransport,
  type PresencePeer,
  type Store,
  type WebSocketConstructor,
} from "@synced-store/core";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startTestServer, type TestServer } from "../../src/test-support/test-server.js";
import { testStore } from "../../src/test-support/test-store.js";
import { FaultProxy } from "@synced-store/server/testing";

type TestStore = Store<typeof testStore>;
const WAIT = { timeout: 15_000, interval: 20 };

let t: TestServer;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await t.close();
});

function open(userId: string, options: { url?: string; http?: boolean } = {}): TestStore {
  const httpUrl = `http://127.0.0.1:${t.running.port}/sync`;
  const store = createStore(testStore, {
    space: "1",
    userId,
    connect: connectToServer({
      url: options.url ?? t.running.url,
      auth: userId,
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      backoff: { initialDelayMs: 20, maxDelayMs: 200 },
      pollIntervalMs: 200,
      ...(options.http ? { transport: httpTransport({ url: httpUrl }) } : {}),
    }),
    onError: () => undefined,
  });
  cleanups.push(() => store.close());
  return store;
}

const summary = (peers: readonly PresencePeer<unknown>[]) =>
  peers.map((p) => `${p.userId}:${JSON.stringify(p.state)}`);

describe("presence between real stores", () => {
  it("shows one store's presence to the others, with user and client id, and each subscription hears it", async () => {
    t = await startTestServer();
    const ann = open("ann");
    const bob = open("bob");
    const heard: (readonly PresencePeer<unknown>[])[] = [];
    bob.presence.subscribe((others) => heard.push(others));
    await ann.ready;
    ann.presence.set({ x: 10, y: 20 });
    expect(ann.presence.get()).toEqual({ x: 10, y: 20 });
    await expect.poll(() => summary(bob.presence.others()), WAIT).toEqual(['ann:{"x":10,"y":20}']);
    expect(bob.presence.others()[0]!.clientId).toBe(ann.clientId);
    expect(heard.at(-1)).toBe(bob.presence.others());
    ann.presence.update({ label: "here" });
    await expect
      .poll(() => summary(bob.presence.others()), WAIT)
      .toEqual(['ann:{"x":10,"y":20,"label":"here"}']);
    expect(ann.presence.others()).toEqual([]);
    expect(() => ann.presence.set({ x: "left" } as never)).toThrow(/Invalid presence/);
  });

  it("on network loss, empties the others at once, removes the cut client for everyone, and re-announces on reconnect", async () => {
    t = await startTestServer();
    const proxy = await FaultProxy.start({ seed: 1, upstream: t.running.url });
    cleanups.push(() => proxy.close());
    const ann = open("ann");
    const bob = open("bob", { url: proxy.url });
    ann.presence.set({ x: 1, y: 1 });
    bob.presence.set({ x: 2, y: 2 });
    await expect.poll(() => summary(ann.presence.others()), WAIT).toEqual(['bob:{"x":2,"y":2}']);
    await expect.poll(() => summary(bob.presence.others()), WAIT).toEqual(['ann:{"x":1,"y":1}']);

    const whileOffline: number[] = [];
    const off = bob.onStatusChange((s) => {
      if (s.connection !== "online") whileOffline.push(bob.presence.others().length);
    });
    // The network goes: every frame through the proxy cuts the connection, reconnects included.
    proxy.setFaults({ cutRate: 1 });
    proxy.cutAll();
    await expect.poll(() => whileOffline.length, WAIT).toBeGreaterThan(0);
    expect(whileOffline[0]).toBe(0); // not frozen where they were
    await expect.poll(() => ann.presence.others().length, WAIT).toBe(0);
    expect(bob.presence.others()).toEqual([]);
    off();
    proxy.setFaults({});
    // Bob reconnects through the proxy: his presence is sent again, and he sees ann again.
    await expect.poll(() => summary(ann.presence.others()), WAIT).toEqual(['bob:{"x":2,"y":2}']);
    await expect.poll(() => summary(bob.presence.others()), WAIT).toEqual(['ann:{"x":1,"y":1}']);
  });

  it("over HTTP, holds presence while the client polls and removes it after the lease once it stops", async () => {
    t = await startTestServer({ presence: { httpLeaseMs: 1500 } });
    const ann = open("ann");
    const cat = open("cat", { http: true });
    ann.presence.set({ x: 1, y: 1 });
    cat.presence.set({ x: 3, y: 3 });
    await expect.poll(() => summary(ann.presence.others()), WAIT).toEqual(['cat:{"x":3,"y":3}']);
    await expect.poll(() => summary(cat.presence.others()), WAIT).toEqual(['ann:{"x":1,"y":1}']);
    // Twice the lease: each poll renews it.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(summary(ann.presence.others())).toEqual(['cat:{"x":3,"y":3}']);
    await cat.close();
    await expect.poll(() => ann.presence.others().length, WAIT).toBe(0);
  });
});
