/**
 * The workloads of `postgres.bench.ts`: push throughput through the engine's transport-agnostic
 * handler or over WebSocket to server processes, and poke latency between two clients.
 */
import { randomBytes } from "node:crypto";
import { encodeMessage, type ClientMessage } from "@synced-store/core/protocol";
import { summarize } from "../../../../scripts/bench-kit.js";
import type { ServerProcess } from "../support/server-process.js";
import type { Storage } from "../../src/storage/storage.js";
import { createSyncServer, type SyncServer } from "../../src/sync-server.js";
import { RawClient } from "../../src/test-support/raw-client.js";
import { testStore } from "../../src/test-support/test-store.js";

/** Limits high enough that the benchmarks measure the engine, not the rate limiter. */
export const LIMITS = { messagesPerSecond: 1_000_000, maxRateViolations: 1_000_000 };

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
export async function throughput(
  storage: Storage,
  spaces: number,
  connsPerSpace: number,
  pushes: number,
  batch: number,
) {
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
export async function pokeLatency(
  writer: RawClient,
  reader: RawClient,
  writerClientId: string,
  samples: number,
) {
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

export async function connected(url: string, userId: string, clientId: string, space: string) {
  const c = await RawClient.open(url);
  const reply = await c.connect({ space, clientId, auth: userId });
  if (reply.type !== "connected") throw new Error(`connect failed: ${JSON.stringify(reply)}`);
  return c;
}

/**
 * `perSpace` WebSocket clients per space, alternating between `procs`, each sending `pushes`
 * pushes of `batch` `setItem` mutations; timed until every client saw its last mutation acknowledged.
 */
export async function crossProcessThroughput(
  procs: readonly ServerProcess[],
  spaces: number,
  perSpace: number,
  pushes: number,
  batch: number,
) {
  const run = randomBytes(4).toString("hex");
  const clients = await Promise.all(
    Array.from({ length: spaces * perSpace }, (_, i) =>
      connected(procs[i % procs.length]!.url, "u", `x-${run}-${i}`, `test/xtp-${run}-${i % spaces}`),
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
          return { id, name: "setItem", args: { id: `${ci}-${id}`, text: "hello world" }, timestamp: id };
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
  for (const c of clients) c.close();
  const mutations = clients.length * last;
  return { mutationsPerSec: Math.round((mutations / ms) * 1000), mutations, ms: Math.round(ms) };
}
