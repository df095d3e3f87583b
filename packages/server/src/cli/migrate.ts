import type { MigrationReport } from "../engine/migrate-spaces.js";
import type { Logger } from "../logger.js";
import { createSyncServer } from "../sync-server.js";
import { loadDefinition } from "./load-definition.js";
import { openBackend } from "./open-backend.js";
import { parseServeArgs, storageFromArgs } from "./serve.js";

/** Usage text of `synced-store migrate`. */
export const MIGRATE_USAGE = `Usage: synced-store migrate <definition module> (--db <file> | --database-url <url>)

Carries every stored space of the module's stores to the definitions' version now (a server
otherwise migrates each space when it first opens it), one transaction per space, each at most
once, also when several processes run it. Exits 1 when a space failed (it is left unchanged).

Options:
  --db <file>         SQLite database file
  --database-url <u>  PostgreSQL (postgres://user@host:port/db); servers running on it hear of
                      each migrated space over LISTEN/NOTIFY (or Redis with --redis-url)
  --redis-url <u>     With --database-url: Redis pub/sub as that bus
  --log-level <lvl>   debug, info, warn or error (default info)
`;

/** Runs `synced-store migrate`; resolves with what it did. */
export async function migrate(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
): Promise<MigrationReport> {
  const args = parseServeArgs(argv, env);
  if (args.db === undefined && args.extra["database-url"] === undefined) {
    throw new Error("migrate needs --db <file> or --database-url <url>\n\n" + MIGRATE_USAGE);
  }
  const definition = await loadDefinition(args.definition);
  const { storage, bus } = await openBackend(
    {
      databaseUrl: args.extra["database-url"],
      redisUrl: args.extra["redis-url"],
      sqlite: args.db !== undefined,
    },
    logger,
    () => storageFromArgs(args, logger),
  );
  const server = createSyncServer({ stores: definition.stores, storage, ...(bus ? { bus } : {}), logger });
  try {
    const report = await server.migrate();
    logger.info("migration finished", { ...report });
    return report;
  } finally {
    await server.close();
    await bus?.close();
  }
}
