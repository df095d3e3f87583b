/**
 * The notes server as its own process, for crash tests:
 * `node --conditions=@synced-store/source --import tsx notes-server-process.ts <sqlite file> <port>`.
 * Prints `listening <port>` once it accepts connections.
 */
import { createSyncServer } from "@synced-store/server";
import { listen } from "@synced-store/server/node";
import { openSqliteStorage } from "@synced-store/server/sqlite";
import { notesStore } from "./notes-definition.js";

const [dbPath, port = "0"] = process.argv.slice(2);
if (dbPath === undefined) throw new Error("usage: notes-server-process.ts <sqlite file> [port]");
const server = createSyncServer({
  stores: [notesStore],
  storage: openSqliteStorage({ path: dbPath }),
  authenticate: ({ auth }) => auth,
  limits: { messagesPerSecond: 10_000 },
});
const running = await listen(server, { port: Number(port) });
process.stdout.write(`listening ${running.port}\n`);
