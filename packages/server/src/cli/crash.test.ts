import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { RawClient } from "../test-support/raw-client.js";
import { startServerProcess, type ServerProcess } from "../test-support/server-process.js";

const STORE_MODULE = fileURLToPath(new URL("../test-support/test-store.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "synced-store-crash-"));
const processes: ServerProcess[] = [];
afterAll(async () => {
  for (const p of processes) await p.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

const SPACES = 3;
const BATCH = 5;
/** Bounds of the stream: stop after this many acknowledged mutations or this long. */
const TARGET_ACKED = 600;
const MAX_STREAM_MS = 15_000;

/** One client streaming batches of increments, several batches in flight. */
class Streamer {
  sent = 0;
  acked = 0;
  constructor(
    readonly client: RawClient,
    readonly clientId: string,
  ) {
    client.ws.on("message", () => {
      for (const m of client.messages.slice(-3)) {
        if (m.type === "poke")
          this.acked = Math.max(this.acked, m.client_id_to_last_mutation_id[clientId] ?? 0);
      }
      this.pump();
    });
  }

  pump(): void {
    if (this.client.closed) return;
    while (this.sent - this.acked < BATCH * 3) this.push(this.sent + 1, this.sent + BATCH);
  }

  push(from: number, to: number): void {
    const mutations = [];
    for (let id = from; id <= to; id++)
      mutations.push({ id, name: "increment", args: { by: 1 }, timestamp: id });
    this.sent = Math.max(this.sent, to);
    this.client.send({ type: "push", client_id: this.clientId, mutations });
  }
}

describe("crash", () => {
  it("keeps every acknowledged mutation exactly once after SIGKILL during a stream of pushes", async () => {
    const db = join(dir, "crash.db");
    const first = await startServerProcess([STORE_MODULE, "--port", "0", "--db", db]);
    processes.push(first);
    const streamers: Streamer[] = [];
    for (let i = 0; i < SPACES; i++) {
      const client = await RawClient.open(first.url);
      expect(
        await client.connect({ space: `test/crash-${i}`, clientId: `c${i}`, auth: `u${i}` }),
      ).toMatchObject({ type: "connected" });
      streamers.push(new Streamer(client, `c${i}`));
    }
    for (const s of streamers) s.pump();
    const deadline = Date.now() + MAX_STREAM_MS;
    while (streamers.reduce((n, s) => n + s.acked, 0) < TARGET_ACKED && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await first.kill("SIGKILL");
    const acked = streamers.map((s) => s.acked);
    const sent = streamers.map((s) => s.sent);
    expect(acked.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    const second = await startServerProcess([STORE_MODULE, "--port", "0", "--db", db]);
    processes.push(second);
    for (let i = 0; i < SPACES; i++) {
      const client = await RawClient.open(second.url);
      const connected = await client.connect({ space: `test/crash-${i}`, clientId: `c${i}`, auth: `u${i}` });
      if (connected.type !== "connected") throw new Error(JSON.stringify(connected));
      // Nothing acknowledged was lost, and nothing half-applied: the counter equals the
      // processed mutation count (a batch's writes and its last mutation id commit together).
      expect(connected.last_mutation_id).toBeGreaterThanOrEqual(acked[i]!);
      console.log(
        `space ${i}: sent ${sent[i]}, acknowledged ${acked[i]}, stored ${connected.last_mutation_id}`,
      );
      client.send({ type: "pull", client_id: `c${i}`, base_version: 0 });
      const snapshot = await client.waitFor((m) => m.type === "pull_response");
      const counter =
        snapshot.type === "pull_response"
          ? snapshot.patches.find((p) => p.op === "set" && p.key === "counter")
          : undefined;
      expect(counter && counter.op === "set" ? counter.value : 0).toBe(connected.last_mutation_id);

      // The client re-sends everything it ever sent (duplicates included): applied exactly once.
      const all = [];
      for (let id = 1; id <= sent[i]!; id++)
        all.push({ id, name: "increment", args: { by: 1 }, timestamp: id });
      for (let j = 0; j < all.length; j += 500)
        client.send({ type: "push", client_id: `c${i}`, mutations: all.slice(j, j + 500) });
      // A pull queues behind those pushes in the space, so it sees their commit.
      const from = client.messages.length;
      client.send({ type: "pull", client_id: `c${i}`, base_version: 0 });
      const final = await client.waitFor((m) => m.type === "pull_response", from);
      expect(final.type === "pull_response" && final.patches).toContainEqual({
        op: "set",
        key: "counter",
        value: sent[i],
      });
      expect(final.type === "pull_response" && final.client_id_to_last_mutation_id).toEqual({
        [`c${i}`]: sent[i],
      });
      client.close();
    }
    await second.kill("SIGTERM");
    expect(second.logs.some((l) => l.msg === "stopped")).toBe(true);
  });
});
