/**
 * The server side of "1,000 clients over 100 spaces, each mutating once a second", with lean
 * clients that speak the wire protocol directly (connect, push, read pokes; no local store), so
 * the figure is the server's end-to-end latency — push in, poke out to every other client of the
 * space — without the cost of simulating 1,000 stores in one process (see many-clients.bench.ts
 * for that). The server runs in its own process on SQLite.
 */
import { loadavg } from "node:os";
import { WebSocket } from "ws";
import { report, summarize, type BenchResult } from "../../../../scripts/bench-kit.js";
import { tempDir } from "../e2e/harness.js";
import { notesStore } from "../e2e/notes-definition.js";
import { startServerProcess } from "../e2e/server-process.js";

const SPACES = Number(process.env.SPACES ?? 100);
const PER_SPACE = Number(process.env.PER_SPACE ?? 10);
const WARMUP_MS = 3_000;
const MEASURE_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = tempDir("synced-store-bench-");
const synchronous = process.env.SQLITE_SYNCHRONOUS === "NORMAL" ? "NORMAL" : "FULL";
const memory = process.env.STORAGE === "memory";
const storageLabel = memory ? "memory" : `SQLite synchronous=${synchronous}`;
const proc = await startServerProcess(memory ? ":memory-storage:" : `${dir.path}/wire.db`, 0, {
  SQLITE_SYNCHRONOUS: synchronous,
});

const samples: number[] = [];
let measuring = false;
let pushes = 0;

/** One lean client: returns its `mutate` (push one putNote) once the handshake is done. */
async function wireClient(space: string, clientId: string, userId: string): Promise<() => void> {
  const socket = new WebSocket(proc.url);
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  const own = `notes/${clientId}`;
  let ready: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (ready = resolve));
  socket.on("message", (data: Buffer) => {
    const now = performance.now();
    const message = JSON.parse(data.toString()) as {
      type: string;
      patches?: Array<{ op: string; key?: string; value?: { text?: string } }>;
    };
    if (message.type === "connected") ready();
    if (message.type !== "poke" || !measuring) return;
    for (const p of message.patches ?? []) {
      if (p.op !== "set" || p.key === own || !p.key?.startsWith("notes/")) continue;
      const text = p.value?.text ?? "";
      samples.push(now - Number(text.slice(text.indexOf(":") + 1)));
    }
  });
  socket.send(
    JSON.stringify({
      type: "connect",
      space,
      client_id: clientId,
      auth: userId,
      history_id: null,
      base_version: 0,
      last_mutation_id: 0,
      schema_version: notesStore.schemaVersion,
    }),
  );
  await connected;
  let id = 0;
  return () => {
    id++;
    pushes++;
    const args = { id: clientId, text: `${id}:${performance.now()}` };
    socket.send(
      JSON.stringify({
        type: "push",
        client_id: clientId,
        mutations: [{ id, name: "putNote", args, timestamp: Date.now() }],
      }),
    );
  };
}

const mutators: Array<() => void> = [];
for (let s = 0; s < SPACES; s++) {
  const space = `notes/wire-${s}`;
  mutators.push(
    ...(await Promise.all(
      Array.from({ length: PER_SPACE }, (_, c) => wireClient(space, `s${s}c${c}`, `u${c % 3}`)),
    )),
  );
}
const timers = mutators.map((mutate, i) => {
  const start = setTimeout(
    () => {
      mutate();
      timers[i] = setInterval(mutate, 1000);
    },
    Math.floor(Math.random() * 1000),
  );
  return start;
});
await sleep(WARMUP_MS);
measuring = true;
const pushesAtStart = pushes;
await sleep(MEASURE_MS);
measuring = false;
const measuredPushes = pushes - pushesAtStart;
for (const t of timers) clearInterval(t);
await proc.kill();
dir.remove();

const timing = summarize(samples);
const results: BenchResult[] = [
  {
    name: `${mutators.length} wire clients / ${SPACES} spaces, 1 mutation per client per second`,
    workload: `push → poke at every other client of the space; server: own process, ${storageLabel}`,
    timing,
    figures: {
      mutationsPerSecond: Math.round(measuredPushes / (MEASURE_MS / 1000)),
      deliveries: samples.length,
      machineLoadAverage1m: Number(loadavg()[0]!.toFixed(1)),
    },
    target: "p99 < 50 ms",
    met: timing.p99Ms < 50,
  },
];
report(`server-many-wire-clients-${memory ? "memory" : synchronous.toLowerCase()}`, results);
// Open sockets would keep the process alive; the exit code is what `report` set.
process.exit();
