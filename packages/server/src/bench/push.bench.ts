/**
 * Server push throughput: mutations per second through the connection handler (decode, run the
 * mutator canonically, commit, poke), one client per space pushing batches back to back.
 * Memory and SQLite (synchronous FULL: every commit fsynced; and NORMAL), one space and 10 spaces.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeMessage, type ServerMessage } from "@synced-store/core/protocol";
import { report, type BenchResult } from "../../../../scripts/bench-kit.js";
import { createMemoryStorage } from "../storage/memory.js";
import { openSqliteStorage } from "../storage/sqlite.js";
import type { Storage } from "../storage/storage.js";
import { createSyncServer } from "../sync-server.js";
import { testStore } from "../test-support/test-store.js";
import { listen } from "../node.js";
import { WebSocket } from "ws";

const BATCH = 100;
const MUTATIONS_PER_SPACE = 20_000;
/** Runs per figure; the median is reported. */
const REPEATS = 3;
/** Batches a client keeps in flight, as a client with a backlog does. */
const IN_FLIGHT = 4;

/** One run's shape. */
interface Shape {
  readonly spaces: number;
  readonly clientsPerSpace: number;
  /** Mutations per push. */
  readonly batch: number;
}

/** Pushes `MUTATIONS_PER_SPACE` mutations into each space, spread over its clients; returns mutations/s. */
async function run(storage: Storage, shape: Shape): Promise<{ perSec: number; ms: number; commits: number }> {
  const { spaces, clientsPerSpace, batch } = shape;
  const perClient = Math.floor(MUTATIONS_PER_SPACE / clientsPerSpace);
  const server = createSyncServer({ stores: [testStore], storage, limits: { messagesPerSecond: 1e9 } });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: spaces * clientsPerSpace }, async (_, n) => {
      const s = n % spaces;
      const clientId = `c${n}`;
      let acked = 0;
      let sent = 0;
      let done: () => void = () => undefined;
      const finished = new Promise<void>((resolve) => (done = resolve));
      const pump = () => {
        while (sent < perClient && sent - acked < batch * IN_FLIGHT) {
          const mutations = [];
          for (let i = 0; i < batch && sent < perClient; i++) {
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
            if (acked >= perClient) done();
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
          auth: `u${n}`,
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
  return { perSec: (perClient * clientsPerSpace * spaces) / (ms / 1000), ms, commits };
}

/** The same single-client workload through a real WebSocket on loopback. */
async function runOverWebSocket(storage: Storage): Promise<{ perSec: number; ms: number; commits: number }> {
  const server = createSyncServer({ stores: [testStore], storage, limits: { messagesPerSecond: 1e9 } });
  const running = await listen(server, { port: 0, pingIntervalMs: 0 });
  const ws = new WebSocket(running.url);
  await new Promise((resolve) => ws.once("open", resolve));
  let acked = 0;
  let sent = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
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
        ws.send(encodeMessage({ type: "push", client_id: "c", mutations }));
      }
    };
    ws.on("message", (data) => {
      const m = JSON.parse(Buffer.from(data as ArrayBuffer).toString()) as ServerMessage;
      if (m.type === "connected") pump();
      if (m.type === "poke") {
        acked = Math.max(acked, m.client_id_to_last_mutation_id.c ?? acked);
        if (acked >= MUTATIONS_PER_SPACE) resolve();
        else pump();
      }
    });
    ws.send(
      encodeMessage({
        type: "connect",
        space: "test/ws",
        client_id: "c",
        auth: "u",
        history_id: null,
        base_version: 0,
        last_mutation_id: 0,
        schema_version: 1,
      }),
    );
  });
  const ms = performance.now() - t0;
  ws.close();
  const commits = server.metrics.commits;
  await running.close();
  await server.close();
  return { perSec: MUTATIONS_PER_SPACE / (ms / 1000), ms, commits };
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
const shapes: Shape[] = [
  { spaces: 1, clientsPerSpace: 1, batch: BATCH },
  { spaces: 10, clientsPerSpace: 1, batch: BATCH },
  { spaces: 1, clientsPerSpace: 50, batch: 1 },
];
const results: BenchResult[] = [];
try {
  for (const [name, make, target] of backends) {
    for (const shape of shapes) {
      await run(make(), { spaces: 1, clientsPerSpace: 1, batch: BATCH }); // warm-up: JIT, file creation
      // The median of REPEATS runs: one short run is at the mercy of whatever else the machine does.
      const runs: Array<Awaited<ReturnType<typeof run>>> = [];
      for (let i = 0; i < REPEATS; i++) runs.push(await run(make(), shape));
      runs.sort((x, y) => x.perSec - y.perSec);
      const r = runs[Math.floor(REPEATS / 2)]!;
      const perSpace = r.perSec / shape.spaces;
      const clients = shape.clientsPerSpace > 1 ? `, ${shape.clientsPerSpace} clients each` : "";
      results.push({
        name: `push ${name}, ${shape.spaces} space${shape.spaces > 1 ? "s" : ""}${clients}`,
        workload: `${MUTATIONS_PER_SPACE} setItem mutations per space, pushes of ${shape.batch}, ${IN_FLIGHT} in flight per client`,
        figures: {
          mutationsPerSec: Math.round(r.perSec),
          mutationsPerSecPerSpace: Math.round(perSpace),
          minOfRuns: Math.round(runs[0]!.perSec),
          maxOfRuns: Math.round(runs[REPEATS - 1]!.perSec),
          commits: r.commits,
          totalMs: Math.round(r.ms),
        },
        ...(target === undefined || shape.spaces !== 1 || shape.clientsPerSpace !== 1
          ? {}
          : { target: `>= ${target} mutations/s per space`, met: perSpace >= target }),
      });
    }
  }
  for (const [name, make] of backends) {
    const r = await runOverWebSocket(make());
    results.push({
      name: `push ${name} over WebSocket, 1 space`,
      workload: `${MUTATIONS_PER_SPACE} setItem mutations, pushes of ${BATCH}, ${IN_FLIGHT} in flight, real ws on loopback`,
      figures: { mutationsPerSec: Math.round(r.perSec), commits: r.commits, totalMs: Math.round(r.ms) },
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
report("server-push", results);
