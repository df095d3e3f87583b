import { parseArgs } from "node:util";
import type { IncomingMessage, ServerResponse } from "node:http";
import { listen, type RunningServer } from "../node.js";
import { openSqliteStorage } from "../storage/sqlite.js";
import { createMemoryStorage } from "../storage/memory.js";
import type { Storage } from "../storage/storage.js";
import { createSyncServer, type SyncServer } from "../sync-server.js";
import type { Logger } from "../logger.js";
import { loadDefinition, type DefinitionOptions } from "./load-definition.js";
import { openBackend } from "./open-backend.js";
import type { Bus } from "../bus/bus.js";
import { MIN_ADMIN_TOKEN_LENGTH } from "../node/admin-token.js";
import { createStaticHandler } from "../node/static-handler.js";

/** Usage text of `synced-store serve`. */
export const SERVE_USAGE = `Usage: synced-store serve <definition module> [options]

Options:
  --port <n>          Port to listen on (default 8080; 0 picks a free one)
  --host <addr>       Address to bind (default 127.0.0.1)
  --path <path>       WebSocket path, HTTP endpoints under it (default /sync)
  --db <file>         SQLite database file (default: in memory, lost on exit)
  --static <dir>      Also serve this built app (e.g. apps/todo/dist) on the same port: its
                      files, index.html for other page paths, hashed assets cached for a year
  --database-url <u>  PostgreSQL (postgres://user@host:port/db) shared by several server
                      processes, which tell each other of commits by LISTEN/NOTIFY
  --redis-url <u>     With --database-url: Redis pub/sub (redis://host:port) as that bus
  --sync <mode>       SQLite synchronous mode: FULL or NORMAL (default FULL)
  --log-level <lvl>   debug, info, warn or error (default info)
  --admin-token <t>   Serve GET /admin (HTML) and /admin/state (JSON) to requests presenting
                      this secret (Authorization: Bearer, or a browser's Basic login password;
                      at least 16 characters). Also read from SYNCED_STORE_ADMIN_TOKEN, which
                      keeps it out of the process list. Off by default.
`;

/** Parsed options of `serve`. */
export interface ServeArgs {
  readonly definition: string;
  readonly port: number;
  readonly host: string;
  readonly path: string;
  readonly db: string | undefined;
  /** A built app to serve beside the sync endpoints; undefined serves none. */
  readonly staticDir: string | undefined;
  readonly synchronous: "FULL" | "NORMAL";
  readonly logLevel: "debug" | "info" | "warn" | "error";
  /** The admin endpoint's secret; undefined keeps it off. */
  readonly adminToken: string | undefined;
  /** Unparsed `--name value` options, for storage backends added later (`--database-url`, `--redis-url`). */
  readonly extra: Readonly<Record<string, string | boolean | undefined>>;
}

/** Parses `serve`'s arguments; throws with a usage hint on bad input. */
export function parseServeArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): ServeArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: false,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      path: { type: "string" },
      db: { type: "string" },
      static: { type: "string" },
      sync: { type: "string" },
      "log-level": { type: "string" },
      "admin-token": { type: "string" },
      // Read by the storage and bus backends that take them (see `storageFromArgs`).
      "database-url": { type: "string" },
      "redis-url": { type: "string" },
    },
  });
  const definition = positionals[0];
  if (definition === undefined) throw new Error("Missing <definition module>\n\n" + SERVE_USAGE);
  const port = Number(values.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`Bad --port ${String(values.port)}`);
  const sync = String(values.sync ?? "FULL").toUpperCase();
  if (sync !== "FULL" && sync !== "NORMAL") throw new Error(`Bad --sync ${sync}: FULL or NORMAL`);
  const level = String(values["log-level"] ?? "info");
  if (!["debug", "info", "warn", "error"].includes(level)) throw new Error(`Bad --log-level ${level}`);
  const adminToken = values["admin-token"] ?? env.SYNCED_STORE_ADMIN_TOKEN;
  if (
    adminToken !== undefined &&
    (typeof adminToken !== "string" || adminToken.length < MIN_ADMIN_TOKEN_LENGTH)
  ) {
    throw new Error(`Bad --admin-token: at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  }
  return {
    definition,
    port,
    host: typeof values.host === "string" ? values.host : "127.0.0.1",
    path: typeof values.path === "string" ? values.path : "/sync",
    db: typeof values.db === "string" ? values.db : undefined,
    staticDir: typeof values.static === "string" ? values.static : undefined,
    synchronous: sync,
    logLevel: level as ServeArgs["logLevel"],
    adminToken,
    extra: values,
  };
}

/** Opens the SQLite or memory storage the arguments ask for (PostgreSQL: `openBackend`). */
export function storageFromArgs(args: ServeArgs, logger: Logger): Storage {
  if (args.db !== undefined) return openSqliteStorage({ path: args.db, synchronous: args.synchronous });
  logger.warn("no --db given: data is kept in memory and lost on exit");
  return createMemoryStorage();
}

/** Loads the definition, opens storage and listens; resolves once serving. */
export async function serve(
  args: ServeArgs,
  logger: Logger,
): Promise<{ server: SyncServer; running: RunningServer; bus?: Bus }> {
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
  if (definition.authenticate === undefined) {
    logger.warn("no authenticate hook exported: the client's auth string is taken as its user id");
  }
  const { handleRequest, ...options } = definition;
  const server = createSyncServer({
    ...options,
    storage,
    ...(bus ? { bus } : {}),
    ...(args.adminToken === undefined ? {} : { adminToken: args.adminToken }),
    logger,
    onConnect: async (info) => {
      logger.info("client connected", { ...info });
      await definition.onConnect?.(info);
    },
    onDisconnect: async (info) => {
      logger.info("client disconnected", { ...info });
      await definition.onDisconnect?.(info);
    },
  });
  const files =
    args.staticDir === undefined
      ? undefined
      : createStaticHandler({ root: args.staticDir, syncPath: args.path });
  const running = await listen(server, {
    port: args.port,
    host: args.host,
    path: args.path,
    ...(files === undefined && handleRequest === undefined
      ? {}
      : { fallback: appRequests(handleRequest, files, logger) }),
  });
  logger.info("listening", {
    url: running.url,
    port: running.port,
    stores: definition.stores.map((s) => s.name),
    db: args.db ?? null,
    static: args.staticDir ?? null,
    admin: args.adminToken === undefined ? null : `http://${args.host}:${running.port}/admin`,
  });
  return { server, running, ...(bus ? { bus } : {}) };
}

/** The definition's own requests first, then the static files, else 404. */
function appRequests(
  handleRequest: DefinitionOptions["handleRequest"],
  files: ((req: IncomingMessage, res: ServerResponse) => void) | undefined,
  logger: Logger,
) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void Promise.resolve(handleRequest?.(req, res) ?? false).then(
      (handled) => {
        if (handled) return;
        if (files !== undefined) return files(req, res);
        res.writeHead(404);
        res.end();
      },
      (error: unknown) => {
        logger.error("the definition's handleRequest failed", { url: req.url, error: String(error) });
        if (!res.headersSent) res.writeHead(500);
        res.end();
      },
    );
  };
}
