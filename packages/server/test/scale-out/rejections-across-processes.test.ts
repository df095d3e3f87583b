import {
  MutationRejectedError,
  connectToServer,
  createStore,
  defineStore,
  type Store,
} from "@synced-store/core";
import type { ServerMessage } from "@synced-store/core/protocol";
import { WebSocket } from "ws";
import { z } from "zod";
import { afterEach, describe, expect, it } from "vitest";
import { FaultProxy } from "@synced-store/server/testing";
import { MemoryBusNetwork } from "../../src/bus/memory-bus.js";
import { openPostgresStorage } from "../../src/postgres.js";
import { startTestServer, type TestServer } from "../../src/test-support/test-server.js";
import { within } from "../support/scale-out-cluster.js";
import { servicesReady } from "../support/services.js";
import { createTempDatabase } from "../support/temp-postgres.js";

/** Accepted by the client, refused by the server: a rejection only the server can make. */
const refusing = defineStore({ name: "refusing", keys: { "items/*": z.string() } }).mutators({
  put: {
    args: z.object({ id: z.string() }),
    run: async (tx, a) => {
      if (tx.location === "server") throw new Error(`refusing ${a.id}`);
      await tx.set(`items/${a.id}`, a.id);
    },
  },
  putAnyway: {
    args: z.object({ id: z.string() }),
    run: (tx, a) => tx.set(`items/${a.id}`, a.id),
  },
});

const ready = await servicesReady("postgres");

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * Two servers on one fresh database, each with its own storage (pool, caches, rejection log):
 * nothing but the database is shared, as between two processes. The optional bus carries commit
 * notices between them.
 */
async function twoServers(bus?: MemoryBusNetwork): Promise<[TestServer, TestServer]> {
  const db = await createTempDatabase();
  cleanups.push(() => db.drop());
  const start = async () => {
    const storage = await openPostgresStorage({ connectionString: db.url, maxConnections: 3 });
    const server = await startTestServer({
      stores: [refusing],
      storage,
      ...(bus === undefined ? {} : { bus: bus.join(), busPollIntervalMs: 0 }),
    });
    cleanups.push(() => server.close());
    return server;
  };
  return [await start(), await start()];
}

describe.skipIf(!ready)(
  "rejections across server processes on one PostgreSQL database (needs PostgreSQL)",
  () => {
    it("a client that lost its connection to A before hearing of a rejection hears it once through B", async () => {
      const [a, b] = await twoServers();
      const heardOnA: string[] = [];
      let proxy: FaultProxy | undefined = undefined;
      // Connection 0 goes to A, every later one to B. A's first word on the rejected mutation is
      // cut with the connection, before the client gets it: only B can tell it.
      proxy = await FaultProxy.start({
        seed: 1,
        upstream: (index) => (index === 0 ? a.running.url : b.running.url),
        onFrame(frame, direction, connection) {
          if (connection !== 0 || direction !== "down") return;
          const type = (JSON.parse(frame) as ServerMessage).type;
          if (type === "mutation_error" || type === "poke") {
            heardOnA.push(type);
            proxy!.cutAll();
          }
        },
      });
      cleanups.push(() => proxy.close());
      const store: Store<typeof refusing> = createStore(refusing, {
        space: "refusing/1",
        userId: "ann",
        connect: connectToServer({
          url: proxy.url,
          auth: "ann",
          WebSocket: WebSocket as never,
          backoff: { initialDelayMs: 20, maxDelayMs: 200 },
        }),
        onError: () => undefined,
      });
      cleanups.push(() => store.close());
      const rejections: MutationRejectedError[] = [];
      store.onRejection((e) => rejections.push(e));

      const bad = await store.mutate.put({ id: "x" });
      const error: unknown = await within(
        20_000,
        "confirmed settles",
        bad.confirmed.catch((e: unknown) => e),
      );
      expect(heardOnA).toEqual(["mutation_error"]);
      expect(proxy.stats.connections).toBeGreaterThanOrEqual(2);
      expect(error).toBeInstanceOf(MutationRejectedError);
      expect(error).toMatchObject({ code: "mutator_failed", mutationId: bad.id });
      expect((error as Error).message).toContain("refusing x");

      // A later mutation confirmed through B: everything B had to say about the first one has come.
      const good = await store.mutate.putAnyway({ id: "y" });
      await within(20_000, "the next mutation is confirmed", good.confirmed);
      expect(rejections.map((e) => e.mutationId)).toEqual([bad.id]);
      expect(await store.query((tx) => tx.scan({ prefix: "items/" }))).toEqual([
        { key: "items/y", value: "y" },
      ]);
    });

    it("keeps a rejection whose message holds U+0000 or a lone surrogate, as sent, and commits the pushes with it", async () => {
      const [a, b] = await twoServers();
      const space = "refusing/3";
      const bad = await a.connected("mallory", "m1", space);
      const good = await a.connected("ann", "a1", space);
      bad.send({
        type: "push",
        client_id: "m1",
        mutations: [{ id: 1, name: "put", args: { id: "a\u0000b\ud800" }, timestamp: 0 }],
      });
      good.send({
        type: "push",
        client_id: "a1",
        mutations: [{ id: 1, name: "putAnyway", args: { id: "fine" }, timestamp: 0 }],
      });
      const sent = await bad.waitFor((m) => m.type === "mutation_error" && m.mutation_id === 1);
      expect(sent).toMatchObject({ message: expect.stringContaining("refusing a\ufffdb\ufffd") as string });
      await good.waitFor((m) => m.type === "poke" && m.client_id_to_last_mutation_id.a1 === 1);
      const back = await b.client();
      await back.connect({ space, clientId: "m1", auth: "mallory", lastMutationId: 0 });
      const replayed = await back.waitFor((m) => m.type === "mutation_error" && m.mutation_id === 1);
      expect(replayed).toEqual(sent);
    });

    it("a client of B hears of its mutation that A rejected, in B's poke and in B's pull response", async () => {
      const bus = new MemoryBusNetwork();
      const [a, b] = await twoServers(bus);
      const space = "refusing/2";
      // The client's connection moved to B while its push was still on its way to A.
      const onB = await b.connected("ann", "c1", space);
      const onA = await a.connected("ann", "c1", space);
      const from = onB.messages.length;
      onA.send({
        type: "push",
        client_id: "c1",
        mutations: [{ id: 1, name: "put", args: { id: "x" }, timestamp: 0 }],
      });
      await onA.waitFor((m) => m.type === "mutation_error" && m.mutation_id === 1);
      const rejection = {
        mutation_id: 1,
        code: "mutator_failed",
        message: expect.stringContaining("refusing x") as string,
      };

      const poke = await onB.waitFor(
        (m) => m.type === "poke" && m.client_id_to_last_mutation_id.c1 === 1,
        from,
      );
      expect(poke).toMatchObject({ rejections: [rejection] });

      const pulled = onB.messages.length;
      onB.send({ type: "pull", client_id: "c1", base_version: 0, last_mutation_id: 0 });
      const response = await onB.waitFor((m) => m.type === "pull_response", pulled);
      expect(response).toMatchObject({ client_id_to_last_mutation_id: { c1: 1 }, rejections: [rejection] });
      // An acknowledged rejection is not repeated.
      const pulledAgain = onB.messages.length;
      onB.send({ type: "pull", client_id: "c1", base_version: 0, last_mutation_id: 1 });
      const again = await onB.waitFor((m) => m.type === "pull_response", pulledAgain);
      expect(again).not.toHaveProperty("rejections");
    });
  },
);
