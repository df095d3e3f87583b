import { encodeMessage } from "@synced-store/core/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMemoryStorage } from "../storage/memory.js";
import { createSyncServer } from "../sync-server.js";
import { testStore } from "../test-support/test-store.js";

const CLIENTS = 3;
const PER_CLIENT = 12;

/** Mutation `id` of client `c`: increments on odd ids, sets the client's item on even ids. */
function mutation(c: number, id: number) {
  return id % 2 === 1
    ? { id, name: "increment", args: { by: 1 }, timestamp: id }
    : { id, name: "setItem", args: { id: `c${c}`, text: `${id}` }, timestamp: id };
}

describe("push semantics (property)", () => {
  it("applies each (client, id) exactly once and in id order, whatever duplicates, gaps and interleavings arrive", async () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    console.log(`push semantics property seed: ${seed}`);
    const pushArb = fc.record({
      client: fc.nat(CLIENTS - 1),
      from: fc.integer({ min: 1, max: PER_CLIENT }),
      length: fc.integer({ min: 1, max: 5 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(pushArb, { maxLength: 40 }), async (pushes) => {
        const storage = createMemoryStorage();
        const server = createSyncServer({ stores: [testStore], storage, limits: { messagesPerSecond: 1e9 } });
        const handles = Array.from({ length: CLIENTS }, (_, c) => {
          const h = server.connect(
            () => undefined,
            () => undefined,
          );
          h.handleMessage(
            encodeMessage({
              type: "connect",
              space: "test/p",
              client_id: `c${c}`,
              auth: `u${c}`,
              history_id: null,
              base_version: 0,
              last_mutation_id: 0,
              schema_version: 1,
            }),
          );
          return h;
        });
        const push = (c: number, from: number, to: number) => {
          const mutations = [];
          for (let id = from; id <= Math.min(to, PER_CLIENT); id++) mutations.push(mutation(c, id));
          handles[c]!.handleMessage(encodeMessage({ type: "push", client_id: `c${c}`, mutations }));
        };
        for (const p of pushes) push(p.client, p.from, p.from + p.length - 1);
        // Finally every client re-sends everything, as a client does after reconnecting.
        for (let c = 0; c < CLIENTS; c++) push(c, 1, PER_CLIENT);
        await Promise.all(handles.map((h) => h.idle()));
        await server.settled();
        await storage.read("test/p", async (r) => {
          expect((await r.get("counter"))?.value).toBe(CLIENTS * (PER_CLIENT / 2));
          for (let c = 0; c < CLIENTS; c++) {
            expect((await r.get(`items/c${c}`))?.value).toEqual({ text: `${PER_CLIENT}` });
            expect((await r.getClient(`c${c}`))?.lastMutationId).toBe(PER_CLIENT);
          }
        });
        expect(server.metrics.mutationsApplied).toBe(CLIENTS * PER_CLIENT);
        expect(server.metrics.mutationsRejected).toBe(0);
        handles.forEach((h) => h.close());
        await server.close();
      }),
      { seed, numRuns: 60 },
    );
  });
});
