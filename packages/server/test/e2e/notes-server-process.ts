/**
 * The notes server as its own process, for crash tests and benchmarks:
 * `node --conditions=@synced-store/source --import tsx notes-server-process.ts <sqlite file | :memory-storage:> [port]`.
 * Prints `listening <port>` once it accepts connections. `GET /heap` answers the process's heap
 * use after a forced GC (start node with `--expose-gc`) and its CPU time so far (`cpuMicros`). `SQLITE_SYNCHRONOUS=NORMAL` relaxes fsync.
 */
import { createMemoryStorage, createSyncServer } from "@synced-store/server";
import { listen } from "@synced-store/server/node";
import { openSqliteStorage } from "@synced-store/server/sqlite";
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
const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
const running = await listen(server, {
  port: Number(port),
  fallback: (req, res) => {
    if (req.url !== "/heap") {
      res.writeHead(404);
      res.end();
      return;
    }
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ gc: gc !== undefined, ...process.memoryUsage(), cpuMicros: cpuMicros() }));
  },
});
// A polite stop (SIGTERM) exits normally, so `--cpu-prof` and the like write their output.
process.on("SIGTERM", () => process.exit(0));
process.stdout.write(`listening ${running.port}\n`);
