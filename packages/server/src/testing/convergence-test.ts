import {
  connectToServer,
  createStore,
  type AnyStoreDefinition,
  type PersistenceProvider,
  type Store,
  type WebSocketConstructor,
} from "@synced-store/core";
import { WebSocket } from "ws";
import { listen, type RunningServer } from "../node/listen.js";
import { createMemoryStorage } from "../storage/memory.js";
import type { Storage } from "../storage/storage.js";
import { createSyncServer, type SyncServer, type SyncServerOptions } from "../sync-server.js";
import { FaultProxy, type FaultProxyOptions, type Faults, type FaultStats } from "./fault-proxy.js";
import { seededRandom, seedFromEnv } from "./seeded-random.js";
import { waitForConvergence } from "./wait-for-convergence.js";

/** Faults of a convergence test unless told otherwise: delays, reordering, duplicates, drops, cuts. */
export const defaultFaults: Faults = {
  delayMs: [0, 15],
  reorderRate: 0.1,
  duplicateRate: 0.05,
  dropRate: 0.03,
  cutRate: 0.01,
};

/** Sync client timings that keep recovery within a test's patience (production defaults are longer). */
export const testSyncTimings = {
  backoff: { initialDelayMs: 20, maxDelayMs: 300 },
  resyncIntervalMs: 500,
  heartbeatIntervalMs: 1000,
  heartbeatTimeoutMs: 1000,
  connectTimeoutMs: 2000,
  pollIntervalMs: 100,
} as const;

/** Options of `startConvergenceTest`: the app's definition, plus any `createSyncServer` option. */
export interface ConvergenceTestOptions<D extends AnyStoreDefinition> extends Omit<
  SyncServerOptions,
  "stores" | "storage"
> {
  /** The app's store definition, as its clients load it. */
  readonly definition: D;
  /** What the server serves: the server's version of the definition (stricter mutators, overrides). @default [definition] */
  readonly serverStores?: readonly AnyStoreDefinition[];
  /** Where the server keeps its spaces (e.g. `openSqliteStorage({ path })`). @default in-memory storage */
  readonly storage?: Storage;
  /** Seed of every fault and of `random`. @default `SEED` from the environment, else a fresh one */
  readonly seed?: number;
  /** What the proxy between clients and server does to frames; `{}` for a clean network. @default `defaultFaults` */
  readonly faults?: Faults;
  /** Where the seed is printed, so a failing run can be replayed. @default console.log */
  readonly log?: (line: string) => void;
  /** Sees every frame through the proxy, before faults (see `FaultProxyOptions.onFrame`). @default none */
  readonly onFrame?: FaultProxyOptions["onFrame"];
}

/** A client of a convergence test. */
export interface TestClientOptions {
  /** The space instance (the space id is `{definition.name}/{space}`). */
  readonly space: string;
  readonly userId: string;
  /** @default `{userId}-{n}`, n counting the clients of the test */
  readonly clientId?: string;
  /** Sent in `connect`. @default the user id (what the server's default `authenticate` expects) */
  readonly auth?: string;
  /** @default in-memory persistence */
  readonly persistence?: PersistenceProvider;
}

/** A running convergence test: a real server on loopback, a seeded fault proxy, and clients. */
export interface ConvergenceTest<D extends AnyStoreDefinition> extends AsyncDisposable {
  readonly seed: number;
  readonly server: SyncServer;
  readonly proxy: FaultProxy;
  /** What the proxy did so far. */
  readonly stats: FaultStats;
  /** Opens a store of `definition` that syncs through the fault proxy. */
  client(options: TestClientOptions): Store<D>;
  /** A generator seeded from the test's seed and `label`: the same seed and label replay the same numbers. */
  random(label: string): () => number;
  /**
   * Runs `steps` steps on each store concurrently, each store with its own seeded generator and a
   * random pause (up to `maxPauseMs`, default 20) between steps, so their mutations interleave.
   */
  run(
    stores: ReadonlyArray<Store<D>>,
    steps: number,
    step: (store: Store<D>, random: () => number, index: number) => unknown,
    options?: { readonly maxPauseMs?: number },
  ): Promise<void>;
  /** The canonical state of space instance `space`, every key included (`$$so/`, every `$$pu/`). */
  serverState(space: string): Promise<Record<string, unknown>>;
  /**
   * Heals the network, cuts every connection once (so each client reconnects and catches up, as
   * after any outage), and waits until every client of every space holds exactly the server's
   * state as its user may see it, with nothing pending. Resolves with each space's canonical
   * state, by instance; throws the first difference (and the seed) after `timeoutMs`
   * (default 30 s).
   */
  converged(options?: { readonly timeoutMs?: number }): Promise<ReadonlyMap<string, Record<string, unknown>>>;
  /** Closes the clients, the proxy and the server (also `await using`). */
  close(): Promise<void>;
}

/**
 * Starts a convergence test of an app's own definition: a real sync server (`ws` on a loopback
 * port), a seeded proxy that delays, reorders, duplicates and drops frames and cuts connections,
 * and real clients behind it. Drive the clients (`run` with the seeded `random`), then
 * `converged()` asserts that every client ends with exactly the server's state.
 *
 * @example
 * await using t = await startConvergenceTest({ definition: todo, serverStores: [serverTodo] });
 * const stores = ["ada", "bo"].map((userId) => t.client({ space: "list-1", userId }));
 * await t.run(stores, 30, (store, random, i) => store.mutate.addTodo({ id: `t${Math.floor(random() * 5)}`, … }));
 * const states = await t.converged();
 */
export async function startConvergenceTest<D extends AnyStoreDefinition>(
  options: ConvergenceTestOptions<D>,
): Promise<ConvergenceTest<D>> {
  const {
    definition,
    serverStores,
    storage = createMemoryStorage(),
    seed = seedFromEnv(),
    faults = defaultFaults,
    // eslint-disable-next-line no-console
    log = (line) => console.log(line),
    onFrame,
    ...serverOptions
  } = options;
  log(`convergence test seed ${seed}; replay with SEED=${seed}`);
  const server = createSyncServer({
    ...serverOptions,
    stores: serverStores ?? [definition],
    storage,
    // Duplicated frames and fast test timings send more than a browser would.
    limits: { messagesPerSecond: 10_000, ...serverOptions.limits },
  });
  const closers: Array<() => Promise<void>> = [() => server.close()];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c();
  };
  try {
    const running: RunningServer = await listen(server, { port: 0, host: "127.0.0.1" });
    closers.push(() => running.close());
    const proxy = await FaultProxy.start({
      seed,
      upstream: running.url,
      faults,
      ...(onFrame ? { onFrame } : {}),
    });
    closers.push(() => proxy.close());
    return convergenceTest({ definition, seed, server, storage, proxy, faults, closers, close });
  } catch (error) {
    await close();
    throw error;
  }
}

function convergenceTest<D extends AnyStoreDefinition>(t: {
  definition: D;
  seed: number;
  server: SyncServer;
  storage: Storage;
  proxy: FaultProxy;
  faults: Faults;
  closers: Array<() => Promise<void>>;
  close: () => Promise<void>;
}): ConvergenceTest<D> {
  const clients: Array<{ space: string; store: Store<D> }> = [];
  let runs = 0;
  const random = (label: string) => seededRandom(t.seed ^ hash(label));
  const serverState = (space: string) => snapshot(t.storage, `${t.definition.name}/${space}`);
  return {
    seed: t.seed,
    server: t.server,
    proxy: t.proxy,
    get stats() {
      return t.proxy.stats;
    },
    client(options) {
      const store = createStore(t.definition, {
        space: options.space,
        userId: options.userId,
        clientId: options.clientId ?? `${options.userId}-${clients.length}`,
        ...(options.persistence ? { persistence: options.persistence } : {}),
        connect: connectToServer({
          url: t.proxy.url,
          auth: options.auth ?? options.userId,
          WebSocket: WebSocket as unknown as WebSocketConstructor,
          onlineSignal: null,
          ...testSyncTimings,
        }),
      });
      clients.push({ space: options.space, store });
      t.closers.push(() => store.close());
      return store;
    },
    random,
    async run(stores, steps, step, options = {}) {
      const maxPauseMs = options.maxPauseMs ?? 20;
      const run = runs++;
      await Promise.all(
        stores.map(async (store, s) => {
          const rnd = random(`run ${run} store ${s}`);
          for (let i = 0; i < steps; i++) {
            await step(store, rnd, i);
            await new Promise((r) => setTimeout(r, Math.floor(rnd() * maxPauseMs)));
          }
        }),
      );
    },
    serverState,
    async converged(options = {}) {
      t.proxy.setFaults({});
      t.proxy.cutAll();
      const states = new Map<string, Record<string, unknown>>();
      try {
        for (const space of new Set(clients.map((c) => c.space))) {
          const stores = clients.filter((c) => c.space === space).map((c) => c.store);
          const spaceId = `${t.definition.name}/${space}`;
          states.set(
            space,
            await waitForConvergence(
              (id) => snapshot(t.storage, id),
              spaceId,
              stores,
              options.timeoutMs ?? 30_000,
            ),
          );
        }
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new Error(`${why} (seed ${t.seed}; replay with SEED=${t.seed})`, { cause: error });
      } finally {
        t.proxy.setFaults(t.faults);
      }
      return states;
    },
    close: t.close,
    [Symbol.asyncDispose]: t.close,
  };
}

function snapshot(storage: Storage, spaceId: string): Promise<Record<string, unknown>> {
  return storage.read(spaceId, async (r) =>
    Object.fromEntries((await r.snapshot()).map((row) => [row.key, row.value])),
  );
}

/** FNV-1a of `text`, to derive a seed per label. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
