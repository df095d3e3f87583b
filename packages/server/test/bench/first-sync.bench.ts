/**
 * `pnpm bench first-sync`: a new client's first sync of a large space over a real WebSocket.
 * The space is written straight into a SQLite file (one version), served by the notes server in
 * its own process; each run starts a fresh client process (first-sync-client.ts) that times
 * `createStore` → its subscription shows every key. Reported: time, bytes on the wire (frames as
 * read, TCP bytes, and what deflating the frames one by one would give), snapshot parts, peak RSS
 * of client and server. Workloads: 100,000 todo-sized notes (about 15 MB of JSON; target ≤ 3 s),
 * once with a client that offers permessage-deflate (the server's default) and once with one that
 * does not (`tcpMiB` is then the uncompressed wire size), and 1,000,000 small keys with
 * permessage-deflate (no target: the run says what gives out first).
 * `RUNS` (default 3) runs of the 100,000-todo workload (the other runs once); `BIG_KEYS=0` skips the 1,000,000-key workload.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { openSqliteStorage } from "@synced-store/server/sqlite";
import { report, summarize, type BenchResult, type StageTiming } from "../../../../scripts/bench-kit.js";
import { tempDir } from "../e2e/harness.js";
import { startServerProcess, type ServerProcess } from "../e2e/server-process.js";

const RUNS = Number(process.env.RUNS ?? 3);
const BIG_KEYS = Number(process.env.BIG_KEYS ?? 1_000_000);
const CLIENT_TIMEOUT_MS = 90_000;
const clientScript = fileURLToPath(new URL("./first-sync-client.ts", import.meta.url));

interface ClientRun {
  ms: number;
  firstPartMs: number;
  lastPartMs: number;
  frameBytes: number;
  tcpBytesRead: number;
  deflatedBytes: number;
  parts: number;
  peakRssKiB: number;
}

/** Writes `count` notes of `text` into `notes/{space}` at version 1. Returns the JSON size of the values. */
async function seed(
  dbPath: string,
  space: string,
  count: number,
  text: (i: number) => string,
): Promise<number> {
  const storage = openSqliteStorage({ path: dbPath, synchronous: "NORMAL" });
  let bytes = 0;
  await storage.transact(`notes/${space}`, async (tx) => {
    await tx.head();
    const batch = 10_000;
    for (let from = 0; from < count; from += batch) {
      const writes = [];
      for (let i = from; i < Math.min(count, from + batch); i++) {
        const id = `t${String(i).padStart(7, "0")}`;
        const value = { id, text: text(i), by: "seed" };
        bytes += JSON.stringify(value).length;
        writes.push({ key: `notes/${id}`, deleted: false as const, value });
      }
      await tx.putKeys(1, writes);
    }
    await tx.setVersion(1);
  });
  await storage.close();
  return bytes;
}

type Wire = "deflate" | "plain";

function runClient(
  url: string,
  space: string,
  expected: number,
  wire: Wire,
): Promise<ClientRun | { error: string }> {
  const child = spawn(
    process.execPath,
    [
      "--conditions=@synced-store/source",
      "--import",
      "tsx",
      clientScript,
      url,
      space,
      String(expected),
      wire,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), CLIENT_TIMEOUT_MS);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      const line = out.trim().split("\n").at(-1) ?? "";
      if (code === 0 && line.startsWith("{")) resolve(JSON.parse(line) as ClientRun);
      else
        resolve({
          error:
            signal === "SIGKILL"
              ? `client gave up after ${CLIENT_TIMEOUT_MS} ms`
              : `client exited ${code}: ${err.slice(-400)}`,
        });
    });
  });
}

const serverPeakRssKiB = (proc: ServerProcess) =>
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${proc.child.pid}/status`, "utf8"))?.[1] ?? 0);

const stage = (samples: number[]): StageTiming => {
  const t = summarize(samples);
  return { medianMs: t.medianMs, p99Ms: t.p99Ms, count: t.samples };
};

const mib = (bytes: number) => Number((bytes / 1_048_576).toFixed(2));

async function workload(
  label: string,
  count: number,
  text: (i: number) => string,
  target: { ms: number } | undefined,
  runCount: number,
  wire: Wire,
): Promise<BenchResult> {
  const dir = tempDir("synced-store-bench-first-sync-");
  const dbPath = `${dir.path}/first-sync.db`;
  const valueBytes = await seed(dbPath, "big", count, text);
  const proc = await startServerProcess(dbPath, 0, { SQLITE_SYNCHRONOUS: "NORMAL" });
  const runs: ClientRun[] = [];
  let error: string | undefined;
  let serverPeak = 0;
  try {
    for (let i = 0; i < runCount && error === undefined; i++) {
      const run = await runClient(proc.url, "big", count, wire);
      if ("error" in run) error = run.error;
      else runs.push(run);
    }
  } finally {
    // Read before the kill: the server's peak over every run.
    if (proc.child.exitCode === null) serverPeak = serverPeakRssKiB(proc);
    await proc.kill();
    dir.remove();
  }
  const last = runs.at(-1);
  const timing = summarize(runs.map((r) => r.ms));
  return {
    name: `first sync of ${count.toLocaleString("en")} ${label}, ${wire === "deflate" ? "permessage-deflate" : "uncompressed"}`,
    workload: `new client (own process, memory persistence) over ws ${wire === "deflate" ? "offering" : "not offering"} permessage-deflate to the notes server (own process, SQLite); ${runs.length} run(s)`,
    timing,
    stages: {
      "connect → first snapshot frame": stage(runs.map((r) => r.firstPartMs)),
      "first → last snapshot frame": stage(runs.map((r) => r.lastPartMs - r.firstPartMs)),
      "last frame → subscription shows all": stage(runs.map((r) => r.ms - r.lastPartMs)),
    },
    figures: {
      keys: count,
      valueJsonMiB: mib(valueBytes),
      frameMiB: last ? mib(last.frameBytes) : 0,
      /** Bytes read from the client's TCP socket: the wire size (after permessage-deflate, if agreed). */
      tcpMiB: last ? mib(last.tcpBytesRead) : 0,
      deflatedFrameMiB: last ? mib(last.deflatedBytes) : 0,
      snapshotFrames: last?.parts ?? 0,
      clientPeakRssMiB: last ? Math.round(Math.max(...runs.map((r) => r.peakRssKiB)) / 1024) : 0,
      serverPeakRssMiB: Math.round(serverPeak / 1024),
      machineLoadAverage1m: Number(loadavg()[0]!.toFixed(1)),
      ...(error === undefined ? {} : { error }),
    },
    ...(target === undefined
      ? {}
      : {
          target: `median ≤ ${target.ms} ms`,
          met: runs.length === runCount && timing.medianMs <= target.ms,
        }),
  };
}

const results: BenchResult[] = [];
// About 150 bytes of JSON per todo: 100,000 of them are about 15 MB.
const todoText = (i: number) => `Todo number ${i}: ${"buy milk and bread ".repeat(5)}`;
for (const wire of ["deflate", "plain"] as const)
  results.push(await workload("todos (~150 B each)", 100_000, todoText, { ms: 3000 }, RUNS, wire));
// One run: it is about what gives out first, not about a stable figure.
if (BIG_KEYS > 0) results.push(await workload("small keys", BIG_KEYS, () => "", undefined, 1, "deflate"));
report("server-first-sync", results);
