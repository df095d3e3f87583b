import type { Transport } from "@synced-store/core";
import { decodeServerMessage, type PullResponseMessage } from "@synced-store/core/protocol";
import { FaultProxy } from "@synced-store/server/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  openClient,
  startE2EServer,
  tempDir,
  waitConverged,
  type E2EServer,
  type NotesStore,
} from "./harness.js";

/*
 * Snapshots in parts over the real `ws` server: a first sync of a space larger than the frame
 * limit arrives in several frames under it, applied as one step, and a connection cut in the
 * middle resumes where it stopped (or starts over when the space moved on meanwhile).
 */

const NOTES = 300;
const FRAME_LIMIT = 16_384;

let dir: ReturnType<typeof tempDir>;
let server: E2EServer;
const cleanups: Array<() => Promise<void>> = [];

/** Writes NOTES notes of about 300 bytes through a server with the default limits, then serves the file with a small frame limit. */
beforeEach(async () => {
  dir = tempDir();
  const dbPath = `${dir.path}/notes.db`;
  const seeder = await startE2EServer({ dbPath });
  const writer = openClient({ url: seeder.url, space: "big", userId: "alice", record: false });
  let last: Promise<void> | undefined;
  for (let i = 0; i < NOTES; i++) {
    const id = `n${String(i).padStart(4, "0")}`;
    last = (await writer.store.mutate.putNote({ id, text: "x".repeat(300) })).confirmed;
  }
  await last;
  await writer.store.close();
  await seeder.close();
  server = await startE2EServer({ dbPath, limits: { maxFrameBytes: FRAME_LIMIT } });
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await server.close();
  dir.remove();
});

const pullResponses = (frames: readonly string[]): PullResponseMessage[] =>
  frames.map(decodeServerMessage).filter((m): m is PullResponseMessage => m.type === "pull_response");

/** Note counts a subscription to every note reported, in order. */
function watchNoteCounts(store: NotesStore): number[] {
  const counts: number[] = [];
  store.subscribe(
    async (tx) => (await tx.scan({ prefix: "notes/" })).length,
    (n) => counts.push(n),
  );
  return counts;
}

/**
 * Cuts the first connection once `parts` snapshot parts have arrived: calls `cut` (which cuts it
 * at the proxy) and delivers nothing more of it, as a cut connection would. Records the frames
 * delivered to the client and the pulls it sends.
 */
function cutAfterParts(parts: number, cut: () => void) {
  const delivered: string[] = [];
  const pulls: Array<{ base_version: number; snapshot_resume?: { version: number; after_key: string } }> = [];
  let connections = 0;
  const wrap = (inner: Transport): Transport => ({
    kind: inner.kind,
    open(handlers) {
      const first = connections++ === 0;
      let received = 0;
      let dead = false;
      const link = inner.open({
        ...handlers,
        onFrame(frame) {
          if (dead) return;
          if (first && frame.includes('"more":true') && ++received === parts) {
            dead = true;
            cut();
          }
          delivered.push(frame);
          handlers.onFrame(frame);
        },
      });
      return {
        send(frame) {
          if (frame.startsWith('{"type":"pull"')) pulls.push(JSON.parse(frame) as (typeof pulls)[number]);
          link.send(frame);
        },
        close: (code, reason) => link.close(code, reason),
      };
    },
  });
  return { wrap, delivered, pulls };
}

const noteSets = (responses: readonly PullResponseMessage[]) =>
  responses.flatMap((r) => r.patches).filter((p) => p.op === "set" && p.key.startsWith("notes/"));

describe("snapshots in parts", () => {
  it("a first sync larger than the frame limit arrives in parts under it, shown all at once", async () => {
    const c = openClient({ url: server.url, space: "big", userId: "bob" });
    cleanups.push(() => c.store.close());
    const counts = watchNoteCounts(c.store);
    await waitConverged(server, "notes/big", [c.store]);

    const parts = pullResponses(c.frames);
    expect(parts.length).toBeGreaterThan(3);
    for (const frame of c.frames) expect(Buffer.byteLength(frame)).toBeLessThan(FRAME_LIMIT);
    expect(parts.slice(0, -1).every((p) => p.more === true)).toBe(true);
    expect(parts.at(-1)?.more).toBeUndefined();
    expect(parts[0]?.patches[0]).toEqual({ op: "reset" });
    // The subscription saw the empty store, then every note: never a part of them.
    expect(counts).toEqual([0, NOTES]);
  });

  it("a connection cut in the middle resumes after the last key received, at the same version", async () => {
    const proxy = await FaultProxy.start({ seed: 11, upstream: server.url });
    cleanups.push(() => proxy.close());
    const cutter = cutAfterParts(3, () => proxy.cutAll());
    const c = openClient({ url: proxy.url, space: "big", userId: "bob", wrapTransport: cutter.wrap });
    cleanups.push(() => c.store.close());
    const counts = watchNoteCounts(c.store);
    await waitConverged(server, "notes/big", [c.store]);

    const responses = pullResponses(cutter.delivered);
    const beforeCut = responses.slice(0, 3);
    const lastKey = beforeCut.flatMap((r) => r.patches).findLast((p) => p.op === "set")?.key;
    const resume = cutter.pulls.find((p) => p.snapshot_resume !== undefined)?.snapshot_resume;
    expect(resume).toEqual({ version: beforeCut[0]?.max_included_version, after_key: lastKey });
    // The rest came without `reset`, starting after that key, and no note was sent twice.
    const rest = responses[3];
    expect(rest?.patches[0]).toMatchObject({ op: "set" });
    expect(rest?.patches[0]?.op === "set" && rest.patches[0].key > lastKey!).toBe(true);
    expect(noteSets(responses)).toHaveLength(NOTES);
    expect(proxy.stats.cuts).toBe(1);
    expect(counts).toEqual([0, NOTES]);
  });

  it("starts over when the space moved on while the connection was cut", async () => {
    const proxy = await FaultProxy.start({ seed: 12, upstream: server.url });
    cleanups.push(() => proxy.close());
    let cutDone!: () => void;
    const wasCut = new Promise<void>((resolve) => (cutDone = resolve));
    const cutter = cutAfterParts(3, () => {
      // Keep the client away while another client commits.
      proxy.setFaults({ dropRate: 1 });
      proxy.cutAll();
      cutDone();
    });
    const c = openClient({ url: proxy.url, space: "big", userId: "bob", wrapTransport: cutter.wrap });
    cleanups.push(() => c.store.close());
    const counts = watchNoteCounts(c.store);
    await wasCut;
    const writer = openClient({ url: server.url, space: "big", userId: "alice", record: false });
    cleanups.push(() => writer.store.close());
    await (
      await writer.store.mutate.putNote({ id: "late", text: "after the cut" })
    ).confirmed;
    proxy.setFaults({});
    await waitConverged(server, "notes/big", [c.store, writer.store]);

    const responses = pullResponses(cutter.delivered);
    const resumePull = cutter.pulls.find((p) => p.snapshot_resume !== undefined);
    expect(resumePull?.snapshot_resume?.version).toBe(responses[0]?.max_included_version);
    const restart = responses[3];
    expect(restart?.patches[0]).toEqual({ op: "reset" });
    expect(restart!.max_included_version).toBeGreaterThan(responses[0]!.max_included_version);
    expect(counts).toEqual([0, NOTES + 1]);
  });
});
