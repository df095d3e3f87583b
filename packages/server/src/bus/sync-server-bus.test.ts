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
});
