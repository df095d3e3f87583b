/**
 * `pnpm bench postgres`: push throughput and poke latency of the sync server on memory, SQLite
 * and PostgreSQL storage in one run, and cross-process poke latency (commit in process 1 →
 * client on process 2 notified) over the PostgreSQL and Redis buses.
 *
 * Throughput drives the engine in-process through its transport-agnostic handler (no sockets),
 * several connections pushing batches of mutations at once. Latency uses real WebSocket clients
 * on loopback; cross-process runs use two real server processes on one PostgreSQL database.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { report, summarize, type BenchResult } from "../../../../scripts/bench-kit.js";
import { startServerProcess, type ServerProcess } from "../support/server-process.js";
import { createTempDatabase } from "../support/temp-postgres.js";
import { listen } from "../../src/node.js";
import { createPostgresBus, openPostgresStorage } from "../../src/postgres.js";
import { openSqliteStorage } from "../../src/sqlite.js";
import { createMemoryStorage } from "../../src/storage/memory.js";
import type { Storage } from "../../src/storage/storage.js";
import { createSyncServer } from "../../src/sync-server.js";
import { testStore } from "../../src/test-support/test-store.js";
import { connected, crossProcessThroughput, LIMITS, pokeLatency, throughput } from "./push-workloads.js";

const results: BenchResult[] = [];
const db = await createTempDatabase();
const dir = mkdtempSync(join(tmpdir(), "synced-store-bench-"));

type Kind = "memory" | "sqlite" | "postgres";
let sqliteFiles = 0;
async function openStorage(kind: Kind): Promise<Storage> {
  if (kind === "memory") return createMemoryStorage();
  if (kind === "sqlite") return openSqliteStorage({ path: join(dir, `bench-${sqliteFiles++}.db`) });
  return openPostgresStorage({ connectionString: db.url, maxConnections: 10 });
}

try {
  const kinds: Kind[] = ["memory", "sqlite", "postgres"];
  // Warm the engine up (JIT) so that the first storage measured is not penalized.
  await throughput(createMemoryStorage(), 2, 2, 20, 100);
  for (const kind of kinds) {
    const one = await throughput(await openStorage(kind), 1, 4, 50, 100);
    results.push({
      name: `push throughput, 1 space, ${kind}`,
      workload: "4 connections × 50 pushes × 100 mutations (setItem + increment), one space",
      figures: one,
      ...(kind === "postgres" ? { target: "≥ 5,000 mutations/s", met: one.mutationsPerSec >= 5000 } : {}),
    });
    const ten = await throughput(await openStorage(kind), 10, 2, 20, 100);
    results.push({
      name: `push throughput, 10 spaces, ${kind}`,
      workload: "10 spaces × 2 connections × 20 pushes × 100 mutations",
      figures: ten,
      ...(kind === "postgres" ? { target: "≥ 15,000 mutations/s", met: ten.mutationsPerSec >= 15_000 } : {}),
    });
    const unbatched = await throughput(await openStorage(kind), 1, 20, 50, 1);
    results.push({
      name: `push throughput unbatched, 1 space, ${kind}`,
      workload: "20 connections × 50 pushes × 1 mutation, one space (the server groups queued pushes)",
      figures: unbatched,
    });
    const unbatchedTen = await throughput(await openStorage(kind), 10, 5, 40, 1);
    results.push({
      name: `push throughput unbatched, 10 spaces, ${kind}`,
      workload: "10 spaces × 5 connections × 40 pushes × 1 mutation",
      figures: unbatchedTen,
    });
  }

  // Same-process poke latency, every storage: writer and reader on one server.
  for (const kind of kinds) {
    const server = createSyncServer({
      stores: [testStore],
      storage: await openStorage(kind),
      limits: LIMITS,
    });
    const running = await listen(server, { port: 0, pingIntervalMs: 0 });
    const space = `test/lat-${kind}`;
    const writer = await connected(running.url, "w", `w-${kind}`, space);
    const reader = await connected(running.url, "r", `r-${kind}`, space);
    const timing = await pokeLatency(writer, reader, `w-${kind}`, 200);
    results.push({
      name: `poke latency end to end, same process, ${kind}`,
      workload: "push 1 mutation → poke at another client of the same process (commit included)",
      timing: timing.endToEnd,
    });
    writer.close();
    reader.close();
    await running.close();
    await server.close();
  }

  // Cross-process: writer on process 1, reader on process 2, both on PostgreSQL.
  for (const bus of ["postgres", "redis"] as const) {
    const env = {
      DATABASE_URL: db.url,
      BUS: bus,
      REDIS_PREFIX: `synced-store-bench-${randomBytes(4).toString("hex")}:`,
      POLL_MS: "600000",
    };
    const procs: ServerProcess[] = [await startServerProcess(env), await startServerProcess(env)];
    try {
      const space = `test/xlat-${bus}`;
      const writer = await connected(procs[0]!.url, "w", `xw-${bus}`, space);
      const reader = await connected(procs[1]!.url, "r", `xr-${bus}`, space);
      const timing = await pokeLatency(writer, reader, `xw-${bus}`, 200);
      results.push({
        name: `poke latency end to end, cross-process, ${bus} bus`,
        workload: "push 1 mutation to process 1 → poke at a client of process 2 (commit included)",
        timing: timing.endToEnd,
      });
      results.push({
        name: `cross-process notification, ${bus} bus`,
        workload: "commit in process 1 (its own client poked) → client of process 2 poked",
        timing: timing.afterCommit,
        target: "median ≤ 5 ms",
        met: timing.afterCommit.medianMs <= 5,
      });
      writer.close();
      reader.close();
    } finally {
      await Promise.all(procs.map((p) => p.stop()));
    }
  }

  // Two processes pushing to the same spaces: the advisory lock serializes them across processes.
  {
    const env = { DATABASE_URL: db.url, BUS: "postgres", POLL_MS: "600000" };
    const procs: ServerProcess[] = [await startServerProcess(env), await startServerProcess(env)];
    try {
      for (const spaces of [1, 10]) {
        const pushes = spaces === 1 ? 25 : 10;
        const figures = await crossProcessThroughput(procs, spaces, 4, pushes, 100);
        results.push({
          name: `push throughput, ${spaces} space${spaces > 1 ? "s" : ""}, postgres, 2 processes`,
          workload: `${spaces} space(s) × 4 WebSocket clients spread over 2 processes × ${pushes} pushes × 100 mutations`,
          figures,
        });
      }
    } finally {
      await Promise.all(procs.map((p) => p.stop()));
    }
  }

  // The bus alone: publish on one instance → notice at another.
  {
    const a = await createPostgresBus({ connectionString: db.url, channel: "bench" });
    const b = await createPostgresBus({ connectionString: db.url, channel: "bench" });
    let resolve: (() => void) | undefined;
    b.subscribe({ onVersion: () => resolve?.(), onResync: () => undefined });
    const times: number[] = [];
    for (let i = 0; i < 520; i++) {
      const heard = new Promise<void>((r) => (resolve = r));
      const t0 = performance.now();
      await a.publish("s/1", i);
      await heard;
      if (i >= 20) times.push(performance.now() - t0);
    }
    results.push({
      name: "bus notice latency, postgres",
      workload: "publish → onVersion in another bus instance",
      timing: summarize(times),
    });
    await Promise.all([a.close(), b.close()]);
  }
} finally {
  report("server-postgres", results);
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
}
