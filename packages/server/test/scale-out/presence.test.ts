import { randomBytes } from "node:crypto";
import { connectToServer, createStore, type PresencePeer, type Store } from "@synced-store/core";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { testStore } from "../../src/test-support/test-store.js";
import { startServerProcess, type ServerProcess } from "../support/server-process.js";
import { createTempDatabase, type TempDatabase } from "../support/temp-postgres.js";
import { servicesReady } from "../support/services.js";

const ready = await servicesReady("postgres", "redis");

describe.skipIf(!ready)("presence across processes (needs PostgreSQL and Redis)", () => {
  /** Presence of a process not heard from for this long is removed by the others. */
  const LEASE_MS = 1500;
  const HEARTBEAT_MS = 300;
  const WAIT = { timeout: 20_000, interval: 20 };

  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function cluster(bus: "postgres" | "redis", processes: number): Promise<ServerProcess[]> {
    const db: TempDatabase = await createTempDatabase();
    cleanups.push(() => db.drop());
    const env = {
      DATABASE_URL: db.url,
      BUS: bus,
      REDIS_PREFIX: `synced-store-test-${randomBytes(6).toString("hex")}:`,
      PRESENCE_HEARTBEAT_MS: String(HEARTBEAT_MS),
      PRESENCE_LEASE_MS: String(LEASE_MS),
    };
    const started: ServerProcess[] = [];
    for (let i = 0; i < processes; i++) {
      const p = await startServerProcess(env);
      cleanups.push(() => p.stop());
      started.push(p);
    }
    return started;
  }

  function open(userId: string, at: ServerProcess): Store<typeof testStore> {
    const store = createStore(testStore, {
      space: "room",
      userId,
      connect: connectToServer({
        url: at.url,
        auth: userId,
        WebSocket: WebSocket as never,
        backoff: { initialDelayMs: 50, maxDelayMs: 500 },
      }),
      onError: () => undefined,
    });
    cleanups.push(() => store.close());
    return store;
  }

  const users = (peers: readonly PresencePeer<unknown>[]) => peers.map((p) => p.userId).sort();

  describe.each(["postgres", "redis"] as const)("presence across server processes (%s bus)", (bus) => {
    it("reaches the clients of every process, and a newcomer elsewhere gets it in its snapshot", async () => {
      const [p0, p1, p2] = await cluster(bus, 3);
      const ann = open("ann", p0!);
      const bob = open("bob", p1!);
      ann.presence.set({ x: 1, y: 1 });
      bob.presence.set({ x: 2, y: 2 });
      await expect.poll(() => users(ann.presence.others()), WAIT).toEqual(["bob"]);
      await expect.poll(() => users(bob.presence.others()), WAIT).toEqual(["ann"]);
      ann.presence.update({ x: 5 });
      await expect.poll(() => bob.presence.others()[0]?.state, WAIT).toEqual({ x: 5, y: 1 });
      const cat = open("cat", p2!);
      await expect.poll(() => users(cat.presence.others()), WAIT).toEqual(["ann", "bob"]);
      await ann.close();
      await expect.poll(() => users(cat.presence.others()), WAIT).toEqual(["bob"]);
      await expect.poll(() => users(bob.presence.others()), WAIT).toEqual([]);
    });

    it(`removes the presence of a SIGKILLed process's clients everywhere, within its lease (${LEASE_MS} ms)`, async () => {
      const [p0, p1] = await cluster(bus, 2);
      const ann = open("ann", p0!);
      const bob = open("bob", p1!);
      ann.presence.set({ x: 1, y: 1 });
      bob.presence.set({ x: 2, y: 2 });
      await expect.poll(() => users(bob.presence.others()), WAIT).toEqual(["ann"]);
      const killedAt = performance.now();
      await p0!.kill(); // no goodbye on the bus: only the lease can tell
      // The bound: the lease, plus one sweep (a quarter of it) and a frame; the rest is slack for a loaded machine.
      await expect
        .poll(() => users(bob.presence.others()), { timeout: LEASE_MS + 6000, interval: 20 })
        .toEqual([]);
      const took = Math.round(performance.now() - killedAt);
      console.log(`${bus}: ann's presence gone at bob ${took} ms after the kill (lease ${LEASE_MS} ms)`);
      // Ann's client cannot reach any process: it shows nobody, rather than bob frozen.
      await expect.poll(() => ann.presence.others(), WAIT).toEqual([]);
    });
  });
});
