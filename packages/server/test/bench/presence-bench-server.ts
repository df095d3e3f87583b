/**
 * The server process of `presence.bench.ts`: the cursor store on SQLite, on a free loopback port,
 * counting what reaches storage (PRESENCE_INTERVAL_MS sets the presence frame interval). Prints `READY <port>`; answers `{ cpu, commits, keys }` to any
 * IPC message (CPU in µs since start, write transactions that committed, keys they wrote).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listen } from "../../src/node.js";
import { openSqliteStorage } from "../../src/sqlite.js";
import type { Storage, StorageTransaction } from "../../src/storage/storage.js";
import { createSyncServer } from "../../src/sync-server.js";
import { cursorStore } from "./presence-bench-definition.js";

const inner = openSqliteStorage({
  path: join(mkdtempSync(join(tmpdir(), "presence-bench-")), "board.sqlite"),
});
let keys = 0;
/** The SQLite storage, counting the keys every transaction writes. */
const storage: Storage = new Proxy(inner, {
  get(target, prop, receiver) {
    if (prop !== "transact") return Reflect.get(target, prop, receiver) as unknown;
    return <T>(spaceId: string, fn: (tx: StorageTransaction) => Promise<T>) =>
      target.transact(spaceId, (tx) =>
        fn(
          new Proxy(tx, {
            get(t, p, r) {
              if (p !== "putKeys") return Reflect.get(t, p, r) as unknown;
              return (version: number, writes: Parameters<StorageTransaction["putKeys"]>[1]) => {
                keys += writes.length;
                return t.putKeys(version, writes);
              };
            },
          }),
        ),
      );
  },
});
const server = createSyncServer({
  stores: [cursorStore],
  storage,
  authenticate: ({ auth }) => auth,
  limits: { messagesPerSecond: 1000 },
  ...(process.env.PRESENCE_INTERVAL_MS
    ? { presence: { intervalMs: Number(process.env.PRESENCE_INTERVAL_MS) } }
    : {}),
});
const running = await listen(server, { port: 0 });
process.on("message", () => {
  const cpu = process.cpuUsage();
  process.send?.({ cpu: cpu.user + cpu.system, commits: server.metrics.commits, keys });
});
process.once("SIGTERM", () => {
  void running.close().then(() => server.close().then(() => process.exit(0)));
});
process.stdout.write(`READY ${running.port}\n`);
