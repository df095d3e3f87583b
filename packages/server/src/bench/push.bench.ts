/**
 * Server push throughput: mutations per second through the connection handler (decode, run the
 * mutator canonically, commit, poke), one client per space pushing batches back to back.
 * Memory and SQLite (synchronous FULL: every commit fsynced; and NORMAL), one space and 10 spaces.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeMessage, type ServerMessage } from "@synced-store/core";
import { report, type BenchResult } from "../../../../scripts/bench-kit.js";
import { createMemoryStorage } from "../storage/memory.js";
import { openSqliteStorage } from "../storage/sqlite.js";
import type { Storage } from "../storage/storage.js";
import { createSyncServer } from "../sync-server.js";
import { testStore } from "../test-support/test-store.js";

const BATCH = 100;
const MUTATIONS_PER_SPACE = 20_000;
/** Batches a client keeps in flight, as a client with a backlog does. */
const IN_FLIGHT = 4;

/** Pushes `MUTATIONS_PER_SPACE` mutations into each of `spaces` spaces; returns mutations/s. */
async function run(
  storage: Storage,
  spaces: number,
): Promise<{ perSec: number; ms: number; commits: number }> {
  const server = createSyncServer({ stores: [testStore], storage, limits: { messagesPerSecond: 1e9 } });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: spaces }, async (_, s) => {
      const clientId = `c${s}`;
      let acked = 0;
      let sent = 0;
      let done: () => void = () => undefined;
      const finished = new Promise<void>((resolve) => (done = resolve));
      const pump = () => {
        while (sent < MUTATIONS_PER_SPACE && sent - acked < BATCH * IN_FLIGHT) {
          const mutations = [];
          for (let i = 0; i < BATCH; i++) {
            const id = ++sent;
            mutations.push({
              id,
              name: "setItem",
              args: { id: String(id % 5000), text: `t${id}` },
              timestamp: id,
            });
          }
          handle.handleMessage(encodeMessage({ type: "push", client_id: clientId, mutations }));
        }
      };
      const handle = server.connect(
        (frame) => {
          const m = JSON.parse(frame) as ServerMessage;
          if (m.type === "connected") pump();
          if (m.type === "poke") {
            acked = Math.max(acked, m.client_id_to_last_mutation_id[clientId] ?? acked);
            if (acked >= MUTATIONS_PER_SPACE) done();
            else pump();
          }
        },
        () => undefined,
      );
      handle.handleMessage(
        encodeMessage({
          type: "connect",
          space: `test/bench-${s}`,
          client_id: clientId,
          auth: `u${s}`,
          history_id: null,
          base_version: 0,
          last_mutation_id: 0,
          schema_version: 1,
        }),
      );
      await finished;
      handle.close();
    }),
  );
  const ms = performance.now() - t0;
  const commits = server.metrics.commits;
  await server.close();
  return { perSec: (MUTATIONS_PER_SPACE * spaces) / (ms / 1000), ms, commits };
}

const dir = mkdtempSync(join(tmpdir(), "synced-store-push-bench-"));
let n = 0;
const backends: Array<[string, () => Storage, number | undefined]> = [
  ["memory", () => createMemoryStorage(), undefined],
  ["sqlite FULL", () => openSqliteStorage({ path: join(dir, `b${n++}.db`) }), 20_000],
  [
    "sqlite NORMAL",
    () => openSqliteStorage({ path: join(dir, `b${n++}.db`), synchronous: "NORMAL" }),
    undefined,
  ],
];
const results: BenchResult[] = [];
try {
  for (const [name, make, target] of backends) {
    for (const spaces of [1, 10]) {
      await run(make(), 1); // warm-up: JIT, file creation
      const r = await run(make(), spaces);
      const perSpace = r.perSec / spaces;
      results.push({
        name: `push ${name}, ${spaces} space${spaces > 1 ? "s" : ""}`,
        workload: `${MUTATIONS_PER_SPACE} setItem mutations per space, batches of ${BATCH}, ${IN_FLIGHT} in flight`,
        figures: {
          mutationsPerSec: Math.round(r.perSec),
          mutationsPerSecPerSpace: Math.round(perSpace),
          commits: r.commits,
          totalMs: Math.round(r.ms),
        },
        ...(target === undefined || spaces !== 1
          ? {}
          : { target: `>= ${target} mutations/s per space`, met: perSpace >= target }),
      });
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
report("server-push", results);
