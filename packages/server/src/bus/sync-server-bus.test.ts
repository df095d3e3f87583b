import { afterEach, describe, expect, it } from "vitest";
import { createMemoryStorage } from "../storage/memory.js";
import type { Storage } from "../storage/storage.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";
import { MemoryBusNetwork } from "./memory-bus.js";

/** Two servers sharing one storage and one bus network: two processes, simulated in one. */
async function twoServers() {
  const shared = createMemoryStorage();
  // Each server closes its storage on close; the shared one is closed once, at the end.
  const view: Storage = { ...shared, close: () => Promise.resolve() };
  const network = new MemoryBusNetwork();
  const busA = network.join();
  const busB = network.join();
  const a = await startTestServer({ storage: view, bus: busA, busPollIntervalMs: 0 });
  const b = await startTestServer({ storage: view, bus: busB, busPollIntervalMs: 0 });
  servers.push(a, b);
  cleanups.push(() => shared.close());
  return { a, b, network, busA, busB };
}

const servers: TestServer[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const c of cleanups.splice(0)) await c();
});

describe("sync servers sharing storage over a bus", () => {
  it("pokes a client of the other server after a commit", async () => {
    const { a, b } = await twoServers();
    const writer = await a.connected("ann", "ca");
    const reader = await b.connected("ben", "cb");
    writer.send({
      type: "push",
      client_id: "ca",
      mutations: [{ id: 1, name: "setItem", args: { id: "x", text: "hi" }, timestamp: 0 }],
    });
    const poke = await reader.waitFor((m) => m.type === "poke" && m.max_included_version >= 1);
    expect(poke.type === "poke" && poke.patches).toEqual([
      { op: "set", key: "items/x", value: { text: "hi" } },
    ]);
  });

  it("catches up from storage when its bus comes back after missing notices", async () => {
    const { a, b, network, busB } = await twoServers();
    const writer = await a.connected("ann", "ca");
    const reader = await b.connected("ben", "cb");
    network.sever(busB);
    writer.send({
      type: "push",
      client_id: "ca",
      mutations: [
        { id: 1, name: "increment", args: { by: 2 }, timestamp: 0 },
        { id: 2, name: "increment", args: { by: 3 }, timestamp: 0 },
      ],
    });
    await writer.waitFor((m) => m.type === "poke" && m.max_included_version >= 1);
    // Nothing reaches the reader while its server's bus is cut (no poll either).
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reader.messages.some((m) => m.type === "poke")).toBe(false);
    network.restore(busB);
    const poke = await reader.waitFor((m) => m.type === "poke" && m.max_included_version >= 1);
    expect(poke.type === "poke" && poke.patches).toEqual([{ op: "set", key: "counter", value: 5 }]);
  });
  it("pokes a client whose connect overlapped another server's commit", async () => {
    const shared = createMemoryStorage();
    cleanups.push(() => shared.close());
    // Server B's reads see the state at their start but finish only when `open` is called: its
    // first client's connect takes a snapshot, then server A commits, then the connect completes.
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let reading: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (reading = resolve));
    // The read itself completes at once (it holds nothing a transaction would wait for); only
    // its result is held back.
    const slowReads: Storage = {
      ...shared,
      read: async (spaceId, fn) => {
        const result = await shared.read(spaceId, fn);
        reading();
        await gate;
        return result;
      },
      close: () => Promise.resolve(),
    };
    const network = new MemoryBusNetwork();
    const a = await startTestServer({
      storage: { ...shared, close: () => Promise.resolve() },
      bus: network.join(),
      busPollIntervalMs: 0,
    });
    const b = await startTestServer({ storage: slowReads, bus: network.join(), busPollIntervalMs: 0 });
    servers.push(a, b);
    const writer = await a.connected("ann", "ca");
    const readerConnected = b.connected("ben", "cb");
    await started;
    writer.send({
      type: "push",
      client_id: "ca",
      mutations: [{ id: 1, name: "setItem", args: { id: "x", text: "during connect" }, timestamp: 0 }],
    });
    await writer.waitFor((m) => m.type === "poke" && m.max_included_version >= 1);
    // Let B's bus notice arrive while the connect is still reading.
    await new Promise((resolve) => setTimeout(resolve, 10));
    open();
    const reader = await readerConnected;
    // Either the connect's admission (a transaction, which catches up) already saw the commit and
    // says so in `connected`, for the client to pull; or a poke brings it.
    const connected = reader.messages.find((m) => m.type === "connected");
    if (connected?.type === "connected" && connected.version >= 1) {
      reader.send({ type: "pull", client_id: "cb", base_version: 0 });
    }
    const update = await reader.waitFor(
      (m) => (m.type === "poke" || m.type === "pull_response") && m.max_included_version >= 1,
      0,
      5000,
    );
    const patches = update.type === "poke" || update.type === "pull_response" ? update.patches : [];
    // A first pull is a snapshot (it starts with `reset`).
    expect(patches.filter((p) => p.op !== "reset")).toEqual([
      { op: "set", key: "items/x", value: { text: "during connect" } },
    ]);
  });
});
