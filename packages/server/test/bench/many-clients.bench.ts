/**
 * 1,000 connected clients over 100 spaces (10 per space), each mutating once a second:
 * end-to-end latency from a client's `mutate` to each other client of its space seeing the
 * change (`store.watch`), where that time went (client stages from the clients, server stages
 * from `/metrics`), and server heap per idle connection.
 *
 * Servers run in their own processes: one on a SQLite file (`synchronous=FULL`) by default;
 * `STORAGE=memory`, `SQLITE_SYNCHRONOUS=NORMAL`, or `STORAGE=postgres` (two server processes on
 * one PostgreSQL database, each space's clients spread over both, commits told over the
 * LISTEN/NOTIFY bus). Clients run in this process, or spread over `CLIENT_PROCESSES=n` processes
 * of their own (whole spaces each). `ROUTING=space` sends all clients of a space to one server
 * process (a load balancer with space affinity) instead of spreading them. `SERVER_PORT` uses a server already running (e.g. under a
 * profiler); `WS_COMPRESSION=off` starts the SQLite or memory server without permessage-deflate.
 * Targets: p99 < 50 ms and median < 10 ms.
 */
import { loadavg } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { report, summarize, type BenchResult } from "../../../../scripts/bench-kit.js";
import { tempDir } from "../e2e/harness.js";
import { startServerProcess as startSqliteProcess } from "../e2e/server-process.js";
import { startServerProcess as startPostgresProcess } from "../support/server-process.js";
import { createTempDatabase } from "../support/temp-postgres.js";
import type { ClientSpec, FleetResult } from "./client-fleet.js";
import { localFleet, processFleet, type FleetHandle } from "./fleet-handle.js";
import { meanBetween, scrapeServers, serverStages } from "./server-stages.js";
import { summarizeStages } from "./stage-probe.js";

const SPACES = Number(process.env.SPACES ?? 100);
const PER_SPACE = Number(process.env.PER_SPACE ?? 10);
const CLIENT_PROCESSES = Number(process.env.CLIENT_PROCESSES ?? 0);
const STORAGE = process.env.STORAGE ?? "sqlite";
const ROUTING = process.env.ROUTING === "space" ? "space" : "spread";
const synchronous = process.env.SQLITE_SYNCHRONOUS === "NORMAL" ? "NORMAL" : "FULL";
// Shorter windows for exploration (`WARMUP_MS`, `MEASURE_MS`); quoted figures use the defaults.
const WARMUP_MS = Number(process.env.WARMUP_MS ?? 3_000);
const MEASURE_MS = Number(process.env.MEASURE_MS ?? 10_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Server {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

const dir = tempDir("synced-store-bench-");
const db = STORAGE === "postgres" ? await createTempDatabase() : undefined;
const servers: Server[] = [];
let storageLabel: string;
if (process.env.SERVER_PORT !== undefined) {
  // A server already running there (e.g. one started under a profiler).
  storageLabel = `the server on port ${process.env.SERVER_PORT}`;
  const port = Number(process.env.SERVER_PORT);
  servers.push({ port, url: `ws://127.0.0.1:${port}/sync`, stop: () => Promise.resolve() });
} else if (db !== undefined) {
  storageLabel = `PostgreSQL, 2 server processes (LISTEN/NOTIFY bus), ${ROUTING === "space" ? "each space on one" : "each space on both"}`;
  for (let i = 0; i < 2; i++) {
    // The production defaults of pool size and bus poll interval.
    const p = await startPostgresProcess({
      DATABASE_URL: db.url,
      BUS: "postgres",
      STORE: "notes",
      MAX_CONNECTIONS: "10",
      POLL_MS: "5000",
      // e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the server processes.
      NODE_FLAGS: process.env.SERVER_NODE_FLAGS ?? "",
    });
    servers.push({ port: p.port, url: p.url, stop: () => p.stop() });
  }
} else {
  const memory = STORAGE === "memory";
  storageLabel = memory ? "memory" : `SQLite synchronous=${synchronous}`;
  const p = await startSqliteProcess(memory ? ":memory-storage:" : `${dir.path}/many.db`, 0, {
    SQLITE_SYNCHRONOUS: synchronous,
  });
  servers.push({ port: p.port, url: p.url, stop: () => p.kill() });
}
const ports = servers.map((s) => s.port);
const serverHeap = async () => {
  const all = await Promise.all(
    ports.map(
      async (port) =>
        (await (await fetch(`http://127.0.0.1:${port}/heap`)).json()) as {
          heapUsed: number;
          rss: number;
          cpuMicros: number;
        },
    ),
  );
  return all.reduce((a, b) => ({
    heapUsed: a.heapUsed + b.heapUsed,
    rss: a.rss + b.rss,
    cpuMicros: a.cpuMicros + b.cpuMicros,
  }));
};

// How noisy the machine is: event-loop delay of this process while it does nothing yet.
const baseline = monitorEventLoopDelay({ resolution: 5 });
baseline.enable();
await sleep(2000);
baseline.disable();
const before = await serverHeap();

// Spread: client c of a space talks to server c % servers (both servers serve every space).
// Space affinity: every client of space s talks to server s % servers.
const fleets = Math.max(1, CLIENT_PROCESSES);
const specs: ClientSpec[][] = Array.from({ length: fleets }, () => []);
for (let s = 0; s < SPACES; s++) {
  for (let c = 0; c < PER_SPACE; c++) {
    specs[s % fleets]!.push({
      url: servers[(ROUTING === "space" ? s : c) % servers.length]!.url,
      space: `space-${s}`,
      userId: `u${c % 3}`,
      clientId: `s${s}c${c}`,
    });
  }
}
const handles: FleetHandle[] =
  CLIENT_PROCESSES === 0 ? [localFleet(specs[0]!)] : await Promise.all(specs.map(processFleet));
await Promise.all(handles.map((h) => h.connect()));
await sleep(500);
const clients = specs.reduce((n, list) => n + list.length, 0);
const idle = await serverHeap();
const perConnection = Math.round((idle.heapUsed - before.heapUsed) / clients);

for (const h of handles) h.start();
await sleep(WARMUP_MS);
const scrapeBefore = await scrapeServers(ports);
const serverCpuStart = (await serverHeap()).cpuMicros;
for (const h of handles) h.measure();
await sleep(MEASURE_MS);
const results: FleetResult[] = await Promise.all(handles.map((h) => h.result()));
const scrapeAfter = await scrapeServers(ports);
const serverCpu = (await serverHeap()).cpuMicros - serverCpuStart;
const loaded = await serverHeap();
const metricsText = (
  await Promise.all(ports.map(async (p) => (await fetch(`http://127.0.0.1:${p}/metrics`)).text()))
).join("\n");
const metric = (name: string) =>
  [...metricsText.matchAll(new RegExp(`^${name} (\\S+)`, "gm"))].reduce((n, m) => n + Number(m[1]), 0);
await Promise.all(handles.map((h) => h.close()));
await Promise.all(servers.map((s) => s.stop()));
await db?.drop();
dir.remove();

const samples = results.flatMap((r) => r.samples);
const stage = (name: keyof FleetResult["stages"]) => results.flatMap((r) => r.stages[name]);
const timing = summarize(samples);
const clientCpu = results.reduce((n, r) => n + r.cpuMicros, 0);
const clientLabel =
  CLIENT_PROCESSES === 0 ? "this process" : `${fleets} processes of ${Math.round(clients / fleets)}`;
const output: BenchResult[] = [
  {
    name: `${clients.toLocaleString("en")} clients / ${SPACES} spaces, 1 mutation per client per second`,
    workload: `mutate → every other client of the space sees it (watch); server: ${storageLabel}; clients: ${clientLabel}`,
    timing,
    stages: {
      ...summarizeStages({
        mutateToPushSent: stage("mutateToPushSent"),
        pushSentToPokeArrived: stage("pushSentToPokeArrived"),
        pokeArrivedToApplied: stage("pokeArrivedToApplied"),
      }),
      ...serverStages(scrapeBefore, scrapeAfter),
    },
    figures: {
      mutationsPerSecond: Math.round(results.reduce((n, r) => n + r.mutations, 0) / (MEASURE_MS / 1000)),
      deliveries: samples.length,
      pushesPerVersion: meanBetween(scrapeBefore, scrapeAfter, "synced_store_pushes_per_version"),
      transactionsPerCommit: meanBetween(
        scrapeBefore,
        scrapeAfter,
        "synced_store_storage_transactions_per_commit",
      ),
      clientProcessCpuPercent: Math.round((clientCpu / 1000 / MEASURE_MS) * 100),
      serverProcessCpuPercent: Math.round((serverCpu / 1000 / MEASURE_MS) * 100),
      machineLoadAverage1m: Number(loadavg()[0]!.toFixed(1)),
      serverHeapLoadedMB: Math.round(loaded.heapUsed / 1e6),
      clientEventLoopDelayP99Ms: Math.round(Math.max(...results.map((r) => r.eventLoopDelayP99Ms))),
      idleEventLoopDelayP99MsBeforeStart: Math.round(baseline.percentile(99) / 1e6),
      serverPushes: metric("synced_store_pushes_total"),
      serverPulls: metric("synced_store_pulls_total"),
      serverProtocolErrors: metric("synced_store_protocol_errors_total"),
    },
    target: "p99 < 50 ms and median < 10 ms",
    met: timing.p99Ms < 50 && timing.medianMs < 10,
  },
  {
    name: "server heap per idle connection",
    workload: `${clients} connected clients after connect + catch-up, heap after forced GC`,
    figures: {
      bytesPerConnection: perConnection,
      heapBeforeMB: Math.round(before.heapUsed / 1e6),
      heapIdleMB: Math.round(idle.heapUsed / 1e6),
      rssIdleMB: Math.round(idle.rss / 1e6),
    },
  },
];
const variant = [
  STORAGE === "sqlite" ? (synchronous === "FULL" ? "" : "-normal") : `-${STORAGE}`,
  CLIENT_PROCESSES === 0 ? "" : `-${fleets}-client-processes`,
  servers.length > 1 && ROUTING === "space" ? "-space-routing" : "",
].join("");
report(`server-many-clients${variant}`, output);
// Open sockets would keep the process alive; the exit code is what `report` set.
process.exit();
