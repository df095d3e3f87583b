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
import { report, summarize, type BenchResult, type Timing } from "../../../../scripts/bench-kit.js";
import { openClient, tempDir, type NotesStore } from "../e2e/harness.js";
import { notesStore } from "../e2e/notes-definition.js";

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

/** Real stores through the sync server. */
async function storeLatency(clients: number, samples: number, storage: Storage): Promise<Timing> {
  const server = createSyncServer({
    stores: [notesStore],
    storage,
    authenticate: ({ auth }) => auth,
    limits: { messagesPerSecond: 100_000 },
  });
  const running = await listen(server);
  const space = `lat-${clients}`;
  const stores: NotesStore[] = Array.from(
    { length: clients },
    (_, i) => openClient({ url: running.url, space, userId: `user${i % 2}`, productionTimings: true }).store,
  );
  for (const s of stores) {
    while (s.status.connection !== "online") await sleep(5);
  }
  const [a, b] = stores as [NotesStore, NotesStore];
  let waiting: { text: string; resolve: () => void } | undefined;
  b.subscribe(
    (tx) => tx.get("notes/bench"),
    (v) => {
      if (waiting !== undefined && v?.text === waiting.text) waiting.resolve();
    },
  );
  const times: number[] = [];
  for (let i = 0; i < samples + 20; i++) {
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      waiting = { text: String(i), resolve };
      void a.mutate.putNote({ id: "bench", text: String(i) });
    });
    if (i >= 20) times.push(performance.now() - t0);
    await sleep(PACE_MS);
  }
  await Promise.all(stores.map((s) => s.close()));
  await running.close();
  await server.close();
  return summarize(times);
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
  for (const [kind, timing] of [
    ["memory", memory],
    ["SQLite (synchronous=FULL, fsync per commit)", sqlite],
    ["SQLite (synchronous=NORMAL)", sqliteNormal],
  ] as const) {
    const ratio = timing.medianMs / relay.medianMs;
    results.push({
      name: `sync e2e, ${clients} clients, ${kind} storage`,
      workload: "A mutate → push → commit → poke → B's subscription fires",
      timing,
      figures: { ratioToRelayMedian: Number(ratio.toFixed(2)) },
      target: "median ≤ 5× raw relay",
      met: ratio <= 5,
    });
  }
}
dir.remove();
report("server-e2e-latency", results);
