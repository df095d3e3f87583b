import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { seedFromEnv } from "@synced-store/server/testing";
import { runFaultInjection } from "../e2e/fault-injection-scenario.js";
import { openPostgresStorage } from "../../src/postgres.js";
import { startServerProcess, type ServerProcess } from "../support/server-process.js";
import { createTempDatabase } from "../support/temp-postgres.js";
import { servicesReady } from "../support/services.js";

const ready = await servicesReady("postgres", "redis");

describe.skipIf(!ready)("fault injection across processes (needs PostgreSQL and Redis)", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it.each(["postgres", "redis"] as const)(
    "converges exactly once with clients spread over three PostgreSQL server processes under network faults (%s bus)",
    async (bus) => {
      const seed = seedFromEnv();
      console.log(`scale-out fault injection seed ${seed}; replay with SEED=${seed}`);
      const db = await createTempDatabase();
      cleanups.push(() => db.drop());
      const processes: ServerProcess[] = [];
      cleanups.push(() => Promise.all(processes.map((p) => p.stop())).then(() => undefined));
      // One at a time: the first creates the schema, the others find it.
      const env = {
        DATABASE_URL: db.url,
        STORE: "notes",
        BUS: bus,
        // One prefix for the three processes of this run, shared by no other run.
        REDIS_PREFIX: `synced-store-test-${randomBytes(6).toString("hex")}:`,
        // Pokes across processes come from the bus alone, not from the safety poll.
        POLL_MS: "600000",
      };
      for (let i = 0; i < 3; i++) processes.push(await startServerProcess(env));
      const storage = await openPostgresStorage({
        connectionString: db.url,
        maxConnections: 1,
        migrate: false,
      });
      cleanups.push(() => storage.close());
      const routed = new Set<ServerProcess>();

      const stats = await runFaultInjection({
        seed,
        onCleanup: (c) => cleanups.push(c),
        // Every connection, reconnections included, goes to the next process in turn.
        upstream: (index) => {
          const target = processes[index % processes.length]!;
          routed.add(target);
          return target.url;
        },
        snapshot: (spaceId) =>
          storage.read(spaceId, async (r) =>
            Object.fromEntries((await r.snapshot()).map((row) => [row.key, row.value])),
          ),
      });
      console.log(`scale-out fault injection (seed ${seed}): ${JSON.stringify(stats)}`);
      expect(routed.size).toBe(3);
    },
    180_000,
  );
});
