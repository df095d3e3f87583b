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
import { encodeMessage, type ClientMessage } from "@synced-store/core";
import { randomBytes } from "node:crypto";
import { report, summarize, type BenchResult } from "../../../../scripts/bench-kit.js";
import { startServerProcess, type ServerProcess } from "../../test/support/server-process.js";
import { createTempDatabase } from "../../test/support/temp-postgres.js";
import { listen } from "../node.js";
import { createPostgresBus, openPostgresStorage } from "../postgres.js";
import { openSqliteStorage } from "../sqlite.js";
import { createMemoryStorage } from "../storage/memory.js";
import type { Storage } from "../storage/storage.js";
import { createSyncServer, type SyncServer } from "../sync-server.js";
import { RawClient } from "../test-support/raw-client.js";
import { testStore } from "../test-support/test-store.js";

const LIMITS = { messagesPerSecond: 1_000_000, maxRateViolations: 1_000_000 };
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

/** A connection fed frames directly; resolves `idle` once all fed frames are handled. */
function handle(server: SyncServer, userId: string, clientId: string, space: string) {
  const frames: string[] = [];
  const h = server.connect(
    (frame) => frames.push(frame),
    () => undefined,
  );
  const send = (m: ClientMessage) => h.handleMessage(encodeMessage(m));
  send({
    type: "connect",
    space,
    client_id: clientId,
    auth: userId,
    history_id: null,
    base_version: 0,
    last_mutation_id: 0,
    schema_version: 1,
  });
  return { send, idle: () => h.idle(), close: () => h.close(), frames };
}

/**
 * `spaces` spaces × `connsPerSpace` connections, each sending `pushes` pushes of `batch`
 * mutations (half `setItem` on fresh keys, half `increment` of one shared counter).
 */
async function throughput(kind: Kind, spaces: number, connsPerSpace: number, pushes: number, batch: number) {
  const storage = await openStorage(kind);
  const server = createSyncServer({ stores: [testStore], storage, limits: LIMITS });
  const run = randomBytes(4).toString("hex");
  const conns = Array.from({ length: spaces * connsPerSpace }, (_, i) =>
    handle(server, "u", `c-${run}-${i}`, `test/tp-${run}-${i % spaces}`),
  );
  await Promise.all(conns.map((c) => c.idle()));
  const t0 = performance.now();
  for (let p = 0; p < pushes; p++) {
    for (const [ci, c] of conns.entries()) {
      c.send({
        type: "push",
        client_id: `c-${run}-${ci}`,
        mutations: Array.from({ length: batch }, (_, j) => {
          const id = p * batch + j + 1;
          return j % 2 === 0
            ? { id, name: "setItem", args: { id: `${ci}-${id}`, text: "hello world" }, timestamp: id }
            : { id, name: "increment", args: { by: 1 }, timestamp: id };
        }),
      });
    }
  }
  await Promise.all(conns.map((c) => c.idle()));
  const ms = performance.now() - t0;
  const errors = conns
    .flatMap((c) => c.frames)
    .filter((f) => f.includes('"mutation_error"') || f.includes('"type":"error"'));
  if (errors.length > 0) throw new Error(`push errors: ${errors[0]}`);
  for (const c of conns) c.close();
  await server.close();
  const mutations = spaces * connsPerSpace * pushes * batch;
  return { mutationsPerSec: Math.round((mutations / ms) * 1000), mutations, ms: Math.round(ms) };
}

/**
 * Pushes one mutation at a time on `writer` and times, per push: the poke of the new version at
 * `reader` after the push was sent (end to end, commit included), and the same poke after the
 * writer's own poke. The writer is poked by the committing process right after its commit, so
 * the second figure is how much later a reader elsewhere hears of the commit.
 */
async function pokeLatency(writer: RawClient, reader: RawClient, writerClientId: string, samples: number) {
  const endToEnd: number[] = [];
  const afterCommit: number[] = [];
  const pokeOf = (c: RawClient, from: number, version: number) =>
    c
      .waitFor((m) => m.type === "poke" && m.max_included_version >= version, from)
      .then(() => performance.now());
  for (let i = 1; i <= samples + 20; i++) {
    const target = Math.max(reader.version(), writer.version()) + 1;
    const heardByWriter = pokeOf(writer, writer.messages.length, target);
    const heardByReader = pokeOf(reader, reader.messages.length, target);
    const t0 = performance.now();
    writer.send({
      type: "push",
      client_id: writerClientId,
      mutations: [{ id: i, name: "increment", args: { by: 1 }, timestamp: i }],
    });
    const [tw, tr] = await Promise.all([heardByWriter, heardByReader]);
    if (i <= 20) continue;
    endToEnd.push(tr - t0);
    afterCommit.push(Math.max(0, tr - tw));
  }
  return { endToEnd: summarize(endToEnd), afterCommit: summarize(afterCommit) };
}

async function connected(url: string, userId: string, clientId: string, space: string) {
  const c = await RawClient.open(url);
  const reply = await c.connect({ space, clientId, auth: userId });
  if (reply.type !== "connected") throw new Error(`connect failed: ${JSON.stringify(reply)}`);
  return c;
}

try {
  const kinds: Kind[] = ["memory", "sqlite", "postgres"];
  // Warm the engine up (JIT) so that the first storage measured is not penalized.
  await throughput("memory", 2, 2, 20, 100);
  for (const kind of kinds) {
    const one = await throughput(kind, 1, 4, 50, 100);
    results.push({
      name: `push throughput, 1 space, ${kind}`,
      workload: "4 connections × 50 pushes × 100 mutations (setItem + increment), one space",
      figures: one,
      ...(kind === "postgres" ? { target: "≥ 5,000 mutations/s", met: one.mutationsPerSec >= 5000 } : {}),
    });
    const ten = await throughput(kind, 10, 2, 20, 100);
    results.push({
      name: `push throughput, 10 spaces, ${kind}`,
      workload: "10 spaces × 2 connections × 20 pushes × 100 mutations",
      figures: ten,
      ...(kind === "postgres" ? { target: "≥ 15,000 mutations/s", met: ten.mutationsPerSec >= 15_000 } : {}),
    });
    const unbatched = await throughput(kind, 1, 20, 50, 1);
    results.push({
      name: `push throughput unbatched, 1 space, ${kind}`,
      workload: "20 connections × 50 pushes × 1 mutation, one space (the server groups queued pushes)",
      figures: unbatched,
    });
    const unbatchedTen = await throughput(kind, 10, 5, 40, 1);
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
        const run = randomBytes(4).toString("hex");
        const perSpace = 4;
        const pushes = spaces === 1 ? 25 : 10;
        const batch = 100;
        const clients = await Promise.all(
          Array.from({ length: spaces * perSpace }, (_, i) =>
            connected(procs[i % 2]!.url, "u", `x-${run}-${i}`, `test/xtp-${run}-${i % spaces}`),
          ),
        );
        const last = pushes * batch;
        const t0 = performance.now();
        for (let p = 0; p < pushes; p++) {
          for (const [ci, c] of clients.entries()) {
            c.send({
              type: "push",
              client_id: `x-${run}-${ci}`,
              mutations: Array.from({ length: batch }, (_, j) => {
                const id = p * batch + j + 1;
                return {
                  id,
                  name: "setItem",
                  args: { id: `${ci}-${id}`, text: "hello world" },
                  timestamp: id,
                };
              }),
            });
          }
        }
        await Promise.all(
          clients.map((c, ci) =>
            c.waitFor(
              (m) => m.type === "poke" && m.client_id_to_last_mutation_id[`x-${run}-${ci}`] === last,
              0,
              120_000,
            ),
          ),
        );
        const ms = performance.now() - t0;
        const mutations = clients.length * last;
        results.push({
          name: `push throughput, ${spaces} space${spaces > 1 ? "s" : ""}, postgres, 2 processes`,
          workload: `${spaces} space(s) × ${perSpace} WebSocket clients spread over 2 processes × ${pushes} pushes × ${batch} mutations`,
          figures: { mutationsPerSec: Math.round((mutations / ms) * 1000), mutations, ms: Math.round(ms) },
        });
        for (const c of clients) c.close();
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
