/**
 * 1,000 connected clients over 100 spaces (10 per space) on one server process, each mutating
 * once a second: end-to-end latency from a client's `mutate` to each other client of its space
 * seeing the change (`store.watch`), and server heap per idle connection.
 *
 * The server runs in its own process (SQLite file); the 1,000 real stores run in this one.
 * `STORAGE=memory` or `SQLITE_SYNCHRONOUS=NORMAL` change the server's storage.
 */
import { loadavg } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { report, summarize, type BenchResult } from "../../../../scripts/bench-kit.js";
import { openClient, tempDir, type NotesStore } from "../e2e/harness.js";
import { startServerProcess } from "../e2e/server-process.js";
import { meanBetween, scrapeServers, serverStages } from "./server-stages.js";
import { stamp, StageProbe, summarizeStages } from "./stage-probe.js";

const SPACES = Number(process.env.SPACES ?? 100);
const PER_SPACE = Number(process.env.PER_SPACE ?? 10);
const WARMUP_MS = 3_000;
const MEASURE_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = tempDir("synced-store-bench-");
const storageKind = process.env.STORAGE === "memory" ? ":memory-storage:" : `${dir.path}/many.db`;
const synchronous = process.env.SQLITE_SYNCHRONOUS === "NORMAL" ? "NORMAL" : "FULL";
// SERVER_PORT: use a server already running there (e.g. one started under a profiler).
const proc = process.env.SERVER_PORT
  ? {
      port: Number(process.env.SERVER_PORT),
      url: `ws://127.0.0.1:${process.env.SERVER_PORT}/sync`,
      kill: async () => {},
    }
  : await startServerProcess(storageKind, 0, { SQLITE_SYNCHRONOUS: synchronous });
const heapUrl = `http://127.0.0.1:${proc.port}/heap`;
const serverHeap = async () =>
  (await (await fetch(heapUrl)).json()) as { heapUsed: number; rss: number; cpuMicros: number };

// How noisy the machine is: event-loop delay of this process while it does nothing yet.
const baseline = monitorEventLoopDelay({ resolution: 5 });
baseline.enable();
await sleep(2000);
baseline.disable();
const before = await serverHeap();
const probe = new StageProbe();
const stores: NotesStore[] = [];
const arrivals: Array<Map<string, number>> = [];
for (let s = 0; s < SPACES; s++) {
  for (let c = 0; c < PER_SPACE; c++) {
    const mine = new Map<string, number>();
    arrivals.push(mine);
    stores.push(
      openClient({
        url: proc.url,
        space: `space-${s}`,
        userId: `u${c % 3}`,
        clientId: `s${s}c${c}`,
        productionTimings: true,
        record: false,
        wrapTransport: (inner) => probe.wrap(inner, mine),
      }).store,
    );
  }
  // Connect in waves, as real clients arrive, not as one synchronized storm.
  if (s % 10 === 9) while (stores.some((st) => st.status.connection !== "online")) await sleep(20);
}
while (stores.some((st) => st.status.connection !== "online")) await sleep(20);
await sleep(500);
const idle = await serverHeap();
const perConnection = Math.round((idle.heapUsed - before.heapUsed) / stores.length);

// Latency: writer i puts `notes/w{i}` with text `{seq}:{sentAt}`; every other client's watch
// on `notes/` records the delay when it sees the write.
const samples: number[] = [];
let measuring = false;
let mutations = 0;
stores.forEach((store, i) => {
  const self = `notes/w${store.clientId}`;
  store.watch("notes/", (diffs) => {
    const now = stamp();
    for (const d of diffs) {
      if (d.key === self || d.op === "del" || !measuring) continue;
      const text = (d.newValue as { text?: string }).text ?? "";
      const sent = text.slice(text.indexOf(":") + 1);
      samples.push(now - Number(sent));
      probe.applied(sent, now, arrivals[i]!);
    }
  });
});
const timers = stores.map((store, i) => {
  let seq = 0;
  const tick = () => {
    mutations++;
    void store.mutate.putNote({ id: `w${store.clientId}`, text: `${seq++}:${stamp()}` });
  };
  const start = setTimeout(
    () => {
      tick();
      timers[i] = setInterval(tick, 1000);
    },
    Math.floor(Math.random() * 1000),
  );
  return start;
});
await sleep(WARMUP_MS);
const scrapeBefore = await scrapeServers([proc.port]);
measuring = true;
probe.measuring = true;
const mutationsAtStart = mutations;
const cpuStart = process.cpuUsage();
const eventLoop = monitorEventLoopDelay({ resolution: 5 });
eventLoop.enable();
const serverCpuStart = (await serverHeap()).cpuMicros;
await sleep(MEASURE_MS);
measuring = false;
probe.measuring = false;
const scrapeAfter = await scrapeServers([proc.port]);
const cpu = process.cpuUsage(cpuStart);
const serverCpu = (await serverHeap()).cpuMicros - serverCpuStart;
const measuredMutations = mutations - mutationsAtStart;
for (const t of timers) clearInterval(t);
const loaded = await serverHeap();
const metricsText = await (await fetch(`http://127.0.0.1:${proc.port}/metrics`)).text();
const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)`, "m").exec(metricsText)?.[1] ?? NaN);
const loopDelay = eventLoop.percentile(99) / 1e6;
await Promise.all(stores.map((s) => s.close()));
await proc.kill();
dir.remove();

const timing = summarize(samples);
const results: BenchResult[] = [
  {
    name: "1,000 clients / 100 spaces, 1 mutation per client per second",
    workload: `mutate → every other client of the space sees it (watch); server: own process, ${
      storageKind === ":memory-storage:" ? "memory" : `SQLite synchronous=${synchronous}`
    }; clients: this process`,
    timing,
    stages: {
      ...summarizeStages(probe.samples),
      ...serverStages(scrapeBefore, scrapeAfter),
    },
    figures: {
      transactionsPerCommit: meanBetween(
        scrapeBefore,
        scrapeAfter,
        "synced_store_storage_transactions_per_commit",
      ),
      mutationsPerSecond: Math.round(measuredMutations / (MEASURE_MS / 1000)),
      deliveries: samples.length,
      clientProcessCpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / MEASURE_MS) * 100),
      serverProcessCpuPercent: Math.round((serverCpu / 1000 / MEASURE_MS) * 100),
      machineLoadAverage1m: Number(loadavg()[0]!.toFixed(1)),
      serverHeapLoadedMB: Math.round(loaded.heapUsed / 1e6),
      clientEventLoopDelayP99Ms: Math.round(loopDelay),
      idleEventLoopDelayP99MsBeforeStart: Math.round(baseline.percentile(99) / 1e6),
      serverPushes: metric("synced_store_pushes_total"),
      serverPulls: metric("synced_store_pulls_total"),
      serverProtocolErrors: metric("synced_store_protocol_errors_total"),
    },
    target: "p99 < 50 ms",
    met: timing.p99Ms < 50,
  },
  {
    name: "server heap per idle connection",
    workload: `${stores.length} connected clients after connect + catch-up, heap after forced GC`,
    figures: {
      bytesPerConnection: perConnection,
      heapBeforeMB: Math.round(before.heapUsed / 1e6),
      heapIdleMB: Math.round(idle.heapUsed / 1e6),
      rssIdleMB: Math.round(idle.rss / 1e6),
    },
  },
];
report("server-many-clients", results);
process.exit(0);
