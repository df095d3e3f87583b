import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { FaultProxy, type Faults } from "./fault-proxy.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function echoServer(): Promise<string> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  wss.on("connection", (s) => s.on("message", (d) => s.send((d as Buffer).toString("utf8"))));
  await new Promise((r) => wss.once("listening", r));
  cleanups.push(() => new Promise((r) => wss.close(() => r())));
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
}

async function through(faults: Faults, count: number) {
  const proxy = await FaultProxy.start({ seed: 7, upstream: await echoServer(), faults });
  cleanups.push(() => proxy.close());
  const socket = new WebSocket(proxy.url);
  const received: string[] = [];
  socket.on("message", (d) => received.push((d as Buffer).toString("utf8")));
  const closed = new Promise((r) => socket.once("close", r));
  await new Promise((r) => socket.once("open", r));
  for (let i = 0; i < count; i++) socket.send(String(i));
  cleanups.push(() => Promise.resolve(socket.close()));
  return { proxy, socket, received, closed };
}

describe("FaultProxy", () => {
  it("forwards frames in order when healthy", async () => {
    const { received } = await through({}, 20);
    await expect.poll(() => received.length).toBe(20);
    expect(received).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
  });

  it("duplicates, drops and reorders frames as told", async () => {
    const dup = await through({ duplicateRate: 1 }, 5);
    // Duplicated on the way up and again on the way down.
    await expect.poll(() => dup.received.length).toBe(20);
    const drop = await through({ dropRate: 1 }, 5);
    drop.socket.send("x");
    await new Promise((r) => setTimeout(r, 50));
    expect(drop.received).toEqual([]);
    expect(drop.proxy.stats.dropped).toBe(6);
    const re = await through({ delayMs: [0, 20], reorderRate: 1 }, 30);
    await expect.poll(() => re.received.length).toBe(30);
    expect(re.received).not.toEqual([...re.received].sort((a, b) => Number(a) - Number(b)));
  });

  it("cuts connections", async () => {
    const { proxy, closed } = await through({}, 1);
    await expect.poll(() => proxy.openConnections).toBe(1);
    proxy.cutAll();
    await closed;
    expect(proxy.stats.cuts).toBe(1);
  });
});
