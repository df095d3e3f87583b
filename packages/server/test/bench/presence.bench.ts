/**
 * `pnpm bench presence`: 50 clients in one space, each moving a cursor at 30 Hz for 20 s, on one
 * server process (SQLite), measured twice in the same run:
 * - **presence**: `store.presence.set(cursor)`, others read through `store.presence.subscribe`
 *   (what `useOthers` renders from);
 * - **durable mutations**: the way the whiteboard did it before, a coalesced `setCursor` mutator
 *   writing `cursors/{clientId}`, others read through a `store.subscribe` scan of `cursors/`.
 * Figures: the time from A's set to B's data holding it (every pair of clients, p50 / p99), the
 * server's CPU per second, bytes per client per second (received and sent), and the storage
 * writes (transactions and keys) in the window.
 */
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { connectToServer, createStore, type Store } from "@synced-store/core";
import { WebSocket } from "ws";
import { report, summarize, type BenchResult } from "../../../../scripts/bench-kit.js";
import { cursorStore } from "./presence-bench-definition.js";

const CLIENTS = Number(process.env.CLIENTS ?? 50);
const HZ = 30;
const MEASURE_MS = Number(process.env.MEASURE_MS ?? 20_000);
const WARMUP_MS = 2_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Mode = "presence" | "durable mutations";
type CursorStore = Store<typeof cursorStore>;
interface ServerFigures {
  cpu: number;
  commits: number;
  keys: number;
}

/** Bytes every client socket received and sent, while `counting`. */
const bytes = { received: 0, sent: 0, counting: false };
class CountingWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    this.on("message", (data: Buffer) => {
      if (bytes.counting) bytes.received += data.length;
    });
  }
  override send(data: unknown): void {
    if (bytes.counting) bytes.sent += Buffer.byteLength(String(data));
    super.send(data as string);
  }
}

async function startServer() {
  const child = spawn(
    process.execPath,
    [
      "--conditions=@synced-store/source",
      "--import",
      "tsx",
      fileURLToPath(new URL("./presence-bench-server.ts", import.meta.url)),
    ],
    { stdio: ["ignore", "pipe", "inherit", "ipc"] },
  );
  const stdout = child.stdout;
  if (stdout === null) throw new Error("bench server has no stdout");
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  const figures = () =>
    new Promise<ServerFigures>((resolve) => {
      child.once("message", (m) => resolve(m as ServerFigures));
      child.send("figures");
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return { url: `ws://127.0.0.1:${port}/sync`, figures, stop };
}

async function run(mode: Mode): Promise<BenchResult[]> {
  const server = await startServer();
  const space = mode === "presence" ? "presence" : "durable";
  const stores: CursorStore[] = Array.from({ length: CLIENTS }, (_, i) =>
    createStore(cursorStore, {
      space,
      userId: `u${i}`,
      connect: connectToServer({
        url: server.url,
        auth: `u${i}`,
        WebSocket: CountingWebSocket as never,
        minPushIntervalMs: 16, // as the whiteboard pushes
      }),
      onError: () => undefined,
    }),
  );
  await Promise.all(stores.map((s) => s.ready));
  while (stores.some((s) => s.status.connection !== "online")) await sleep(20);

  const latencies: number[] = [];
  let measuring = false;
  // Each client notes, per peer, the newest stamp it has seen, and samples each new one once.
  for (const store of stores) {
    const seen = new Map<string, number>();
    const observe = (peer: string, t: number) => {
      if ((seen.get(peer) ?? -1) >= t) return;
      seen.set(peer, t);
      if (measuring) latencies.push(performance.now() - t);
    };
    if (mode === "presence") {
      store.presence.subscribe((others) => {
        for (const p of others) observe(p.clientId, p.state.t);
      });
    } else {
      store.subscribe(
        (tx) => tx.scan({ prefix: "cursors/" }),
        (rows) => {
          for (const r of rows) if (r.key !== `cursors/${store.clientId}`) observe(r.key, r.value.t);
        },
      );
    }
  }

  // Every client moves at 30 Hz, the clients spread over the period.
  const period = 1000 / HZ;
  const timers: ReturnType<typeof setInterval>[] = [];
  stores.forEach((store, i) => {
    let step = 0;
    const move = () => {
      step++;
      const cursor = { x: (i * 37 + step * 3) % 1000, y: (i * 11 + step * 7) % 700, t: performance.now() };
      if (mode === "presence") store.presence.set(cursor);
      else void store.mutate.setCursor(cursor);
    };
    setTimeout(() => timers.push(setInterval(move, period)), (i * period) / CLIENTS);
  });

  await sleep(WARMUP_MS);
  const before = await server.figures();
  const cpuBefore = process.cpuUsage();
  bytes.received = 0;
  bytes.sent = 0;
  bytes.counting = true;
  measuring = true;
  const t0 = performance.now();
  await sleep(MEASURE_MS);
  measuring = false;
  bytes.counting = false;
  const seconds = (performance.now() - t0) / 1000;
  const after = await server.figures();
  const clientCpu = process.cpuUsage(cpuBefore);
  for (const t of timers) clearInterval(t);
  await Promise.all(stores.map((s) => s.close()));
  await server.stop();

  const expected = CLIENTS * (CLIENTS - 1) * HZ * seconds;
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  const workload = `${CLIENTS} clients, one space, cursors at ${HZ} Hz for ${Math.round(seconds)} s, one server process (SQLite)`;
  return [
    {
      name: `${mode}: A's set → B's data`,
      workload,
      timing: summarize(latencies),
      figures: {
        updatesSeen: latencies.length,
        shareOfMovesSeen: (latencies.length / expected).toFixed(3),
        loadAverage: load,
      },
    },
    {
      name: `${mode}: cost`,
      workload,
      figures: {
        serverCpuMsPerSecond: ((after.cpu - before.cpu) / 1000 / seconds).toFixed(1),
        clientsCpuMsPerSecond: ((clientCpu.user + clientCpu.system) / 1000 / seconds).toFixed(1),
        bytesReceivedPerClientPerSecond: Math.round(bytes.received / CLIENTS / seconds),
        bytesSentPerClientPerSecond: Math.round(bytes.sent / CLIENTS / seconds),
        storageWriteTransactions: after.commits - before.commits,
        storageKeysWritten: after.keys - before.keys,
      },
    },
  ];
}

const results = [...(await run("presence")), ...(await run("durable mutations"))];
report("presence", results);
process.exit(0);
