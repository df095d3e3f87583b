/**
 * The seeded fault-injection scenario, reusable against any server set-up (one SQLite process
 * here; several PostgreSQL processes in the scale-out tests).
 */
import { expect } from "vitest";
import { FaultProxy, seededRandom, type Faults, type FaultStats } from "@synced-store/server/testing";
import {
  openClient,
  startE2EServer,
  tempDir,
  waitConverged,
  type E2EServer,
  type NotesStore,
} from "./harness.js";
import { replay, serverLog, withoutServerOnly } from "./replay-log.js";

/** One client's mutations, in the order `mutate` numbered them. */
type Issued = Array<{ name: string; args: Record<string, unknown> }>;

/** Runs `count` random mutations on `store`, with random pauses, recording what it issued. */
async function mutateRandomly(store: NotesStore, random: () => number, count: number, issued: Issued) {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  for (let i = 0; i < count; i++) {
    const id = `n${Math.floor(random() * 8)}`;
    const kind = pick(["put", "put", "delete", "increment", "increment", "draft"] as const);
    if (kind === "put") {
      const args = { id, text: `${store.clientId}#${i}` };
      issued.push({ name: "putNote", args });
      await store.mutate.putNote(args);
    } else if (kind === "delete") {
      issued.push({ name: "deleteNote", args: { id } });
      await store.mutate.deleteNote({ id });
    } else if (kind === "increment") {
      const args = { by: Math.floor(random() * 7) - 3 };
      issued.push({ name: "increment", args });
      await store.mutate.increment(args);
    } else {
      const args = { id, text: `${store.clientId}#${i}` };
      issued.push({ name: "saveDraft", args });
      await store.mutate.saveDraft(args);
    }
    await new Promise((r) => setTimeout(r, Math.floor(random() * 25)));
  }
}

/**
 * Seeded chaos between real clients and a real server: a proxy delays, reorders, duplicates and
 * drops frames and cuts connections while six clients of three users mutate at random. Then the
 * network heals, and: every client equals the server as its user sees it; the server's state is
 * the replay of its log of accepted mutations in server order; and each client's mutations appear
 * in that log exactly once each, in the client's order.
 */
export async function runFaultInjection(options: {
  seed: number;
  /** Registers clean-up to run after the test (servers, proxy, stores). */
  onCleanup: (cleanup: () => Promise<void> | void) => void;
  /** Where the proxy forwards; by default a fresh SQLite server of this process. */
  upstream?: string | ((connectionIndex: number) => string);
  snapshot?: E2EServer["snapshot"];
  clients?: number;
  mutationsPerClient?: number;
  /** @default delays up to 15 ms, 10% reordered, 5% duplicated, 3% dropped, 1% cut */
  faults?: Faults;
}): Promise<FaultStats> {
  const { seed, clients = 6, mutationsPerClient = 40 } = options;
  let upstream = options.upstream;
  let snapshot = options.snapshot;
  if (upstream === undefined || snapshot === undefined) {
    const dir = tempDir();
    const server = await startE2EServer({ dbPath: `${dir.path}/chaos.db` });
    options.onCleanup(() => dir.remove());
    options.onCleanup(() => server.close());
    upstream = server.url;
    snapshot = (spaceId) => server.snapshot(spaceId);
  }
  const proxy = await FaultProxy.start({
    seed,
    upstream,
    faults: options.faults ?? {
      delayMs: [0, 15],
      reorderRate: 0.1,
      duplicateRate: 0.05,
      dropRate: 0.03,
      cutRate: 0.01,
    },
  });
  options.onCleanup(() => proxy.close());
  const space = `chaos-${seed}`;
  const users = ["alice", "bob", "carol"];
  const stores = Array.from({ length: clients }, (_, i) => {
    const { store } = openClient({
      url: proxy.url,
      space,
      userId: users[i % users.length]!,
      clientId: `client-${i}`,
    });
    options.onCleanup(() => store.close());
    return store;
  });
  const issued = new Map<string, Issued>(stores.map((s) => [s.clientId, []]));
  await Promise.all(
    stores.map((s) =>
      mutateRandomly(
        s,
        seededRandom(seed + Number(s.clientId.slice(7)) + 1),
        mutationsPerClient,
        issued.get(s.clientId)!,
      ),
    ),
  );

  // The network heals; one more mutation is poked to everyone, so a client whose last poke was
  // dropped sees the version gap and pulls.
  proxy.setFaults({});
  const barrier = { name: "increment", args: { by: 0 } };
  issued.get(stores[0]!.clientId)!.push(barrier);
  await stores[0]!.mutate.increment({ by: 0 });
  const state = await waitConverged({ snapshot }, `notes/${space}`, stores, 40_000);

  const log = serverLog(state);
  const userOf = (clientId: string) => users[Number(clientId.slice(7)) % users.length]!;
  expect(withoutServerOnly(state)).toEqual(replay(log, userOf));
  for (const [clientId, mine] of issued) {
    expect(log.filter((e) => e.client === clientId).map(({ name, args }) => ({ name, args }))).toEqual(mine);
  }
  expect(log).toHaveLength(clients * mutationsPerClient + 1);
  return proxy.stats;
}
