/**
 * The notes server as its own process, for crash tests and benchmarks:
 * `node --conditions=@synced-store/source --import tsx notes-server-process.ts <sqlite file | :memory-storage:> [port]`.
 * Prints `listening <port>` once it accepts connections. `GET /heap` answers the process's heap
 * use after a forced GC (start node with `--expose-gc`) and its CPU time so far (`cpuMicros`). `SQLITE_SYNCHRONOUS=NORMAL` relaxes fsync.
 */
import { createMemoryStorage, createSyncServer } from "@synced-store/server";
import { listen } from "@synced-store/server/node";
import { openSqliteStorage } from "@synced-store/server/sqlite";
import { heapEndpoint } from "../support/heap-endpoint.js";
import { notesStore } from "./notes-definition.js";

const [dbPath, port = "0"] = process.argv.slice(2);
if (dbPath === undefined)
  throw new Error("usage: notes-server-process.ts <sqlite file | :memory-storage:> [port]");
const synchronous = process.env.SQLITE_SYNCHRONOUS === "NORMAL" ? "NORMAL" : "FULL";
const server = createSyncServer({
  stores: [notesStore],
  storage:
    dbPath === ":memory-storage:" ? createMemoryStorage() : openSqliteStorage({ path: dbPath, synchronous }),
  authenticate: ({ auth }) => auth,
  limits: { messagesPerSecond: 10_000 },
});
const running = await listen(server, {
  port: Number(port),
  fallback: heapEndpoint,
  // `WS_COMPRESSION=off`: no permessage-deflate (to compare its cost in the benchmarks).
  ...(process.env.WS_COMPRESSION === "off" ? { compression: false as const } : {}),
});
// A polite stop (SIGTERM) exits normally, so `--cpu-prof` and the like write their output.
process.on("SIGTERM", () => process.exit(0));
process.stdout.write(`listening ${running.port}\n`);
