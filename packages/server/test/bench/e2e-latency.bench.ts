/**
 * End-to-end latency: client A's `mutate` → client B's subscription fires, with 2, 10 and 100
 * clients in one space on a real server (`ws` on loopback; memory and SQLite storage), next to a
 * raw `ws` relay (A → server → every other client) measured in the same run. Samples are paced
 * 15 ms apart: this measures the latency of a mutation, not throughput (the client spaces pushes
 * at least `minPushIntervalMs` = 10 ms apart by design).
 */
import type { AddressInfo } from "node:net";
import { createMemoryStorage, createSyncServer, type Storage } from "@synced-store/server";
import { listen } from "@synced-store/server/node";
import { openSqliteStorage } from "@synced-store/server/sqlite";
import { WebSocket, WebSocketServer } from "ws";
import type { Transport } from "@synced-store/core";
import {
  report,
  summarize,
  type BenchResult,
  type StageTiming,
  type Timing,
} from "../../../../scripts/bench-kit.js";
import { parseHistograms } from "../../src/metrics/scraped-histograms.js";
import { openClient, tempDir, type NotesStore } from "../e2e/harness.js";
import { notesStore } from "../e2e/notes-definition.js";
import { serverStages, type Scrape } from "./server-stages.js";
import { stamp, StageProbe, summarizeStages } from "./stage-probe.js";

const PACE_MS = 15;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A raw relay: every frame a client sends goes to every other client. */
async function relayLatency(clients: number, samples: number): Promise<Timing> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((r) => wss.once("listening", r));
  wss.on("connection", (socket) => {
    socket.on("message", (data) => {
      for (const other of wss.clients) if (other !== socket) other.send(data, { binary: false });
    });
  });
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  const sockets = await Promise.all(
    Array.from({ length: clients }, async () => {
      const s = new WebSocket(url);
      await new Promise((r) => s.once("open", r));
      return s;
    }),
  );
  const [a, b] = sockets as [WebSocket, WebSocket];
  let waiting: { i: number; resolve: () => void } | undefined;
  b.on("message", (data: Buffer) => {
    const msg = JSON.parse(data.toString()) as { i: number };
    if (waiting !== undefined && msg.i === waiting.i) waiting.resolve();
  });
  const times: number[] = [];
  for (let i = 0; i < samples + 20; i++) {
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      waiting = { i, resolve };
      a.send(
        JSON.stringify({ type: "poke", i, key: "notes/bench", value: { id: "bench", text: String(i) } }),
      );
    });
    if (i >= 20) times.push(performance.now() - t0);
    await sleep(PACE_MS);
  }
  for (const s of sockets) s.terminate();
  await new Promise((r) => wss.close(r));
  return summarize(times);
}

/** Real stores through the sync server: the end-to-end timing and where it went. */
async function storeLatency(
  clients: number,
  samples: number,
  storage: Storage,
): Promise<{ timing: Timing; stages: Record<string, StageTiming> }> {
  const server = createSyncServer({
    stores: [notesStore],
    storage,
    authenticate: ({ auth }) => auth,
    limits: { messagesPerSecond: 100_000 },
  });
  const running = await listen(server);
  const space = `lat-${clients}`;
  const probe = new StageProbe();
  const arrivals = new Map<string, number>();
  const stores: NotesStore[] = Array.from(
    { length: clients },
    (_, i) =>
      openClient({
        url: running.url,
        space,
        userId: `user${i % 2}`,
        productionTimings: true,
        record: false,
        // Only A's pushes and B's pokes are timed.
        ...(i < 2 ? { wrapTransport: (inner: Transport) => probe.wrap(inner, arrivals) } : {}),
      }).store,
  );
  for (const s of stores) {
    while (s.status.connection !== "online") await sleep(5);
  }
  const [a, b] = stores as [NotesStore, NotesStore];
  let waiting: { text: string; resolve: () => void } | undefined;
  const subscriptionFired: number[] = [];
  let appliedAt = 0;
  b.watch("notes/", () => {
    appliedAt = stamp();
  });
  b.subscribe(
    (tx) => tx.get("notes/bench"),
    (v) => {
      if (waiting === undefined || v?.text !== waiting.text) return;
      const now = stamp();
      const sent = waiting.text.slice(waiting.text.indexOf(":") + 1);
      probe.applied(sent, appliedAt, arrivals);
      if (probe.measuring) subscriptionFired.push(now - appliedAt);
      waiting.resolve();
    },
  );
  const times: number[] = [];
  let scrapeBefore: Scrape[] = [];
  for (let i = 0; i < samples + 20; i++) {
    if (i === 20) {
      probe.measuring = true;
      scrapeBefore = [parseHistograms(server.metrics.toPrometheus())];
    }
    const t0 = stamp();
    await new Promise<void>((resolve) => {
      waiting = { text: `${i}:${t0}`, resolve };
      void a.mutate.putNote({ id: "bench", text: waiting.text });
    });
    if (i >= 20) times.push(stamp() - t0);
    await sleep(PACE_MS);
  }
  const stages = {
    ...summarizeStages({ ...probe.samples, appliedToSubscriptionFired: subscriptionFired }),
    ...serverStages(scrapeBefore, [parseHistograms(server.metrics.toPrometheus())]),
  };
  await Promise.all(stores.map((s) => s.close()));
  await running.close();
  await server.close();
  return { timing: summarize(times), stages };
}

const results: BenchResult[] = [];
const dir = tempDir("synced-store-bench-");
for (const clients of [2, 10, 100]) {
  const samples = clients === 100 ? 150 : 300;
  const relay = await relayLatency(clients, samples);
  const memory = await storeLatency(clients, samples, createMemoryStorage());
  const sqlite = await storeLatency(
    clients,
    samples,
    openSqliteStorage({ path: `${dir.path}/lat-${clients}.db` }),
  );
  const sqliteNormal = await storeLatency(
    clients,
    samples,
    openSqliteStorage({ path: `${dir.path}/lat-n-${clients}.db`, synchronous: "NORMAL" }),
  );
  results.push({
    name: `raw ws relay, ${clients} clients`,
    workload: "A sends → relay → B receives",
    timing: relay,
  });
  for (const [kind, measured] of [
    ["memory", memory],
    ["SQLite (synchronous=FULL, fsync per commit)", sqlite],
    ["SQLite (synchronous=NORMAL)", sqliteNormal],
  ] as const) {
    const ratio = measured.timing.medianMs / relay.medianMs;
    const limit = kind.includes("FULL") ? 5 : 3;
    results.push({
      name: `sync e2e, ${clients} clients, ${kind} storage`,
      workload: "A mutate → push → commit → poke → B's subscription fires",
      timing: measured.timing,
      stages: measured.stages,
      figures: { ratioToRelayMedian: Number(ratio.toFixed(2)) },
      target: `median ≤ ${limit}× raw relay`,
      met: ratio <= limit,
    });
  }
}
dir.remove();
report("server-e2e-latency", results);
