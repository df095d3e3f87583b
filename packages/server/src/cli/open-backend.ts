import type { Bus } from "../bus/bus.js";
import type { Logger } from "../logger.js";
import type { Storage } from "../storage/storage.js";

/** The storage `serve` runs on, and the bus when several processes share it. */
export interface Backend {
  readonly storage: Storage;
  /** Set with `--database-url`: PostgreSQL LISTEN/NOTIFY, or Redis with `--redis-url`. */
  readonly bus?: Bus;
}

/** The command line's say on the backend: raw `--database-url` / `--redis-url` values. */
export interface BackendArgs {
  readonly databaseUrl: unknown;
  readonly redisUrl: unknown;
  /** `--db` was given too. */
  readonly sqlite: boolean;
}

/**
 * Opens what `--database-url` / `--redis-url` ask for, else `otherStorage()` (SQLite or memory).
 * PostgreSQL's schema is created or upgraded on start. `pg` and `ioredis` load only when used.
 */
export async function openBackend(
  args: BackendArgs,
  logger: Logger,
  otherStorage: () => Storage,
): Promise<Backend> {
  const { databaseUrl, redisUrl } = args;
  if (databaseUrl === undefined) {
    if (redisUrl !== undefined)
      throw new Error("--redis-url needs --database-url: the bus serves processes sharing PostgreSQL");
    return { storage: otherStorage() };
  }
  if (typeof databaseUrl !== "string" || !/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new Error("Bad --database-url: expected postgres://user@host:port/database");
  if (redisUrl !== undefined && (typeof redisUrl !== "string" || !/^rediss?:\/\//.test(redisUrl)))
    throw new Error("Bad --redis-url: expected redis://host:port");
  if (args.sqlite) throw new Error("Give --db (SQLite) or --database-url (PostgreSQL), not both");
  const onError = (error: unknown) =>
    logger.warn("database or bus connection error", { error: String(error) });
  const { openPostgresStorage, createPostgresBus } = await import("../postgres.js");
  const storage = await openPostgresStorage({ connectionString: databaseUrl, onError });
  try {
    const bus =
      redisUrl === undefined
        ? await createPostgresBus({ connectionString: databaseUrl, onError })
        : await (await import("../redis.js")).createRedisBus({ url: redisUrl, onError });
    logger.info("storage: postgres", { bus: redisUrl === undefined ? "postgres" : "redis" });
    return { storage, bus };
  } catch (error) {
    await storage.close();
    throw error;
  }
}
