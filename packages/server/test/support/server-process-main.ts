/**
 * A sync server process for the scale-out tests and benchmarks: the test store on PostgreSQL,
 * with a PostgreSQL or Redis bus, on a free loopback port. Configured by environment:
 * DATABASE_URL (required), BUS ("postgres" | "redis", default postgres), REDIS_URL, REDIS_PREFIX,
 * POLL_MS (bus poll interval), MAX_CONNECTIONS (PostgreSQL pool size, default 4), STORE ("test":
 * the server test store, "notes": the e2e notes store), PRESENCE_HEARTBEAT_MS and
 * PRESENCE_LEASE_MS (presence between processes).
 * Prints `READY <port>` once it listens; SIGTERM closes it cleanly.
 */
import { listen } from "../../src/node.js";
import { createPostgresBus, openPostgresStorage } from "../../src/postgres.js";
import { createRedisBus } from "../../src/redis.js";
import { createSyncServer } from "../../src/sync-server.js";
import { testStore } from "../../src/test-support/test-store.js";
import { notesStore } from "../e2e/notes-definition.js";
import { heapEndpoint } from "./heap-endpoint.js";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL is required");
const report = (error: unknown) => process.stderr.write(`server-process: ${String(error)}\n`);

const storage = await openPostgresStorage({
  connectionString: databaseUrl,
  maxConnections: Number(process.env.MAX_CONNECTIONS ?? 4),
  onError: report,
});
const bus =
  process.env.BUS === "redis"
    ? await createRedisBus({
        url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
        prefix: process.env.REDIS_PREFIX ?? "synced-store-test:",
        onError: report,
      })
    : await createPostgresBus({ connectionString: databaseUrl, onError: report });
const server = createSyncServer({
  stores: process.env.STORE === "notes" ? [notesStore] : [testStore],
  storage,
  authenticate: ({ auth }) => auth,
  // The tests drive many messages from one connection on purpose.
  limits: { messagesPerSecond: 10_000 },
  bus,
  busPollIntervalMs: Number(process.env.POLL_MS ?? 1000),
  presence: {
    heartbeatMs: Number(process.env.PRESENCE_HEARTBEAT_MS ?? 3000),
    leaseMs: Number(process.env.PRESENCE_LEASE_MS ?? 10_000),
  },
});
const running = await listen(server, { port: 0, pingIntervalMs: 0, fallback: heapEndpoint });
process.stdout.write(`READY ${running.port}\n`);

process.once("SIGTERM", () => {
  void (async () => {
    await running.close();
    await server.close();
    await bus.close();
    process.exit(0);
  })();
});
