import { afterEach, expect, it } from "vitest";
import { openSqliteStorage } from "@synced-store/server/sqlite";
import { seededRandom, seedFromEnv } from "@synced-store/server/testing";
import { openClient, tempDir, waitConverged, type NotesStore } from "./harness.js";
import { replay, serverLog, withoutServerOnly } from "./replay-log.js";
import { startServerProcess } from "./server-process.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Sent {
  readonly name: string;
  readonly args: Record<string, unknown>;
  acked: boolean;
}

/** Mutates until `stop()` says so, recording each mutation and whether `confirmed` resolved. */
async function stream(store: NotesStore, random: () => number, stop: () => boolean, sent: Sent[]) {
  for (let i = 0; !stop() && i < 2000; i++) {
    const entry: Sent =
      random() < 0.5
        ? { name: "increment", args: { by: 1 + Math.floor(random() * 5) }, acked: false }
        : {
            name: "putNote",
            args: { id: `n${Math.floor(random() * 20)}`, text: `${store.clientId}#${i}` },
            acked: false,
          };
    sent.push(entry);
    const handle =
      entry.name === "increment"
        ? await store.mutate.increment(entry.args as { by: number })
        : await store.mutate.putNote(entry.args as { id: string; text: string });
    handle.confirmed.then(
      () => (entry.acked = true),
      () => undefined,
    );
    await new Promise((r) => setTimeout(r, 2 + Math.floor(random() * 6)));
  }
}

it("loses no acknowledged mutation when the server is SIGKILLed mid-stream, and clients converge after restart", async () => {
  const seed = seedFromEnv();
  console.log(`server crash seed ${seed}; replay with SEED=${seed}`);
  const dir = tempDir();
  cleanups.push(() => dir.remove());
  const dbPath = `${dir.path}/crash.db`;
  let proc = await startServerProcess(dbPath);
  cleanups.push(() => proc.kill());
  const users = ["alice", "bob"];
  const stores = [0, 1, 2].map((i) => {
    const { store } = openClient({
      url: proc.url,
      space: "crash",
      userId: users[i % 2]!,
      clientId: `crash-${i}`,
    });
    cleanups.push(() => store.close());
    return store;
  });
  await Promise.all(
    stores.map((s) => expect.poll(() => s.status.connection, { timeout: 20_000 }).toBe("online")),
  );

  let stopped = false;
  const sent = new Map<string, Sent[]>(stores.map((s) => [s.clientId, []]));
  const streams = stores.map((s, i) =>
    stream(s, seededRandom(seed + i), () => stopped, sent.get(s.clientId)!),
  );
  // Kill once a good number of mutations is acknowledged, with more still in flight.
  const acked = () => [...sent.values()].flat().filter((e) => e.acked).length;
  await expect.poll(acked, { timeout: 20_000, interval: 5 }).toBeGreaterThan(60);
  await proc.kill();
  const ackedBeforeKill = [...sent.values()].map((list) => list.filter((e) => e.acked));
  const total = () => [...sent.values()].flat().length;
  const atKill = total();
  // Clients keep mutating offline while the server is down, then it restarts on the same file.
  await expect
    .poll(() => stores.every((s) => s.status.connection !== "online"), { timeout: 10_000 })
    .toBe(true);
  await expect.poll(total, { timeout: 10_000 }).toBeGreaterThan(atKill + 20);
  proc = await startServerProcess(dbPath, proc.port);
  await new Promise((r) => setTimeout(r, 300));
  stopped = true;
  await Promise.all(streams);

  const reader = openSqliteStorage({ path: dbPath });
  cleanups.push(() => reader.close());
  const snapshot = (spaceId: string) =>
    reader.read(spaceId, async (r) =>
      Object.fromEntries((await r.snapshot()).map((row) => [row.key, row.value])),
    );
  const state = await waitConverged({ snapshot }, "notes/crash", stores, 40_000);

  const log = serverLog(state);
  for (const [i, store] of stores.entries()) {
    const mine = log.filter((e) => e.client === store.clientId).map(({ name, args }) => ({ name, args }));
    const issued = sent.get(store.clientId)!.map(({ name, args }) => ({ name, args }));
    // Every mutation exactly once, in order — the acknowledged ones before the kill included.
    expect(mine).toEqual(issued);
    const ackedIds = ackedBeforeKill[i]!.length;
    expect(mine.slice(0, ackedIds)).toEqual(issued.slice(0, ackedIds));
  }
  expect(withoutServerOnly(state)).toEqual(replay(log, (c) => users[Number(c.slice(6)) % 2]!));
  console.log(
    `server crash: ${ackedBeforeKill.flat().length} acknowledged and ${atKill} sent before the kill, ${total()} in all`,
  );
}, 120_000);
