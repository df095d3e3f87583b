import { randomBytes } from "node:crypto";
import { connectToServer, createStore, type Store } from "@synced-store/core";
import type { assertConverged } from "@synced-store/core/testing";
import { WebSocket } from "ws";
import { testStore } from "../../src/test-support/test-store.js";
import { openPostgresStorage } from "../../src/postgres.js";
import { FaultProxy, type Faults } from "@synced-store/server/testing";
import { startServerProcess, type ServerProcess } from "./server-process.js";
import { createTempDatabase, type TempDatabase } from "./temp-postgres.js";

/** A store of the test definition, as the scale-out tests drive it. */
export type TestStore = Store<typeof testStore>;

/** The stores as `assertConverged` takes them (its parameter is not generic over definitions). */
export function anyStores(stores: readonly TestStore[]): Parameters<typeof assertConverged>[0] {
  return stores as unknown as Parameters<typeof assertConverged>[0];
}

/** Options of `startCluster`. */
export interface ClusterOptions {
  readonly processes: number;
  readonly seed: number;
  readonly faults?: Faults;
  /** @default "postgres" */
  readonly bus?: "postgres" | "redis";
}

/**
 * N server processes on one fresh PostgreSQL database behind one fault-injecting proxy that
 * spreads connections round-robin over the processes still alive.
 */
export interface Cluster extends AsyncDisposable {
  readonly db: TempDatabase;
  readonly proxy: FaultProxy;
  readonly processes: ServerProcess[];
  /** Processes that were not killed. */
  readonly alive: Set<ServerProcess>;
  /** Which process each proxied connection went to, by connection index. */
  readonly routed: ServerProcess[];
  /** A store syncing through the proxy. */
  store(userId: string, space: string): TestStore;
  /** Kills a process as a crash would; new connections go to the others. */
  kill(process: ServerProcess): Promise<void>;
  /** The space's canonical state, read from the database. */
  serverState(spaceId: string): Promise<Map<string, unknown>>;
  close(): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const db = await createTempDatabase();
  const env = {
    DATABASE_URL: db.url,
    BUS: options.bus ?? "postgres",
    REDIS_PREFIX: `synced-store-test-${randomBytes(6).toString("hex")}:`,
  };
  const processes: ServerProcess[] = [];
  const stores: TestStore[] = [];
  let proxy: FaultProxy | undefined;
  const close = async () => {
    await Promise.all(stores.map((s) => s.close()));
    await proxy?.close();
    await Promise.all(processes.map((p) => p.stop()));
    await db.drop();
  };
  try {
    // One at a time: the first creates the schema, the others find it.
    for (let i = 0; i < options.processes; i++) processes.push(await startServerProcess(env));
    const alive = new Set(processes);
    const routed: ServerProcess[] = [];
    proxy = await FaultProxy.start({
      seed: options.seed,
      faults: options.faults ?? {},
      upstream: (index) => {
        const live = [...alive];
        const target = live[index % live.length]!;
        routed[index] = target;
        return target.url;
      },
    });
    const viaProxy = proxy;
    return {
      db,
      proxy: viaProxy,
      processes,
      alive,
      routed,
      store(userId, space) {
        const store = createStore(testStore, {
          space,
          userId,
          connect: connectToServer({
            url: viaProxy.url,
            auth: userId,
            WebSocket: WebSocket as never,
            backoff: { initialDelayMs: 20, maxDelayMs: 300 },
            heartbeatIntervalMs: 1000,
            heartbeatTimeoutMs: 1000,
          }),
          onError: () => undefined,
        });
        stores.push(store);
        return store;
      },
      async kill(process) {
        alive.delete(process);
        await process.kill();
      },
      async serverState(spaceId) {
        const storage = await openPostgresStorage({
          connectionString: db.url,
          maxConnections: 1,
          migrate: false,
        });
        try {
          const rows = await storage.read(spaceId, (r) => r.snapshot());
          return new Map(rows.map((row) => [row.key, row.value]));
        } finally {
          await storage.close();
        }
      },
      close,
      [Symbol.asyncDispose]: close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Rejects after `ms`, naming `what`: bounds every wait in the scale-out tests. */
export function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
