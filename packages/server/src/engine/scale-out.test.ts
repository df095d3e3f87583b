import { afterEach, describe, expect, it } from "vitest";
import { MemoryBusNetwork } from "../bus/memory-bus.js";
import { createMemoryStorage } from "../storage/memory.js";
import type { Storage } from "../storage/storage.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";
import type { RawClient } from "../test-support/raw-client.js";

/** One storage shared by two servers: closing it is the test's job, not each server's. */
function shared(storage: Storage): Storage {
  return {
    transact: (s, fn) => storage.transact(s, fn),
    read: (s, fn) => storage.read(s, fn),
    spaces: (prefix) => storage.spaces(prefix),
    close: () => Promise.resolve(),
  };
}

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const counterOf = (c: RawClient) => {
  let value: unknown;
  for (const m of c.messages) {
    if (m.type !== "poke" && m.type !== "pull_response") continue;
    for (const p of m.patches) if (p.op === "set" && p.key === "counter") value = p.value;
  }
  return value;
};

describe("two servers on one storage", () => {
  it("catch up from storage before each commit and poke their own clients on bus notices", async () => {
    const storage = createMemoryStorage();
    const network = new MemoryBusNetwork();
    const a = await startTestServer({ storage: shared(storage), bus: network.join(), busPollIntervalMs: 0 });
    const b = await startTestServer({ storage: shared(storage), bus: network.join(), busPollIntervalMs: 0 });
    servers.push(a, b);
    const onA = await a.connected("alice", "ca");
    const onB = await b.connected("bob", "cb");
    // Alternate commits between the servers: each must see the other's writes (its cache
    // catches up inside the transaction), so the counter counts every increment once.
    for (let i = 1; i <= 5; i++) {
      onA.send({
        type: "push",
        client_id: "ca",
        mutations: [{ id: i, name: "increment", args: { by: 1 }, timestamp: 0 }],
      });
      await onA.waitFor((m) => m.type === "poke" && m.client_id_to_last_mutation_id.ca === i);
      onB.send({
        type: "push",
        client_id: "cb",
        mutations: [{ id: i, name: "increment", args: { by: 10 }, timestamp: 0 }],
      });
      await onB.waitFor((m) => m.type === "poke" && m.client_id_to_last_mutation_id.cb === i);
    }
    await onA.waitFor((m) => m.type === "poke" && m.max_included_version === 10);
    await onB.waitFor((m) => m.type === "poke" && m.max_included_version === 10);
    expect(counterOf(onA)).toBe(55);
    expect(counterOf(onB)).toBe(55);
    await storage.close();
  });
});
