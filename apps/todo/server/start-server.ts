import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { AnyStoreDefinition } from "@synced-store/core";
import { attach } from "@synced-store/server/node";
import { openSqliteStorage } from "@synced-store/server/sqlite";
import { createServer as createViteServer, type Plugin } from "vite";
import { createTodoSyncServer } from "./create-todo-sync-server.js";
import { authSecret, todoAuth, type TodoAuthOptions } from "./todo-auth.js";

/** Options of {@link startTodoServer}. */
export interface StartTodoServerOptions {
  /** @default 5173 (0 picks a free port) */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** SQLite file of the sync server. */
  dbFile: string;
  /** Hot module reload for development. @default true */
  hmr?: boolean;
  /**
   * How clients sign in: tokens signed with this secret, issued by `POST /auth/login`.
   * @default `SYNCED_STORE_AUTH_SECRET`, else the development secret, tokens valid for an hour
   */
  auth?: TodoAuthOptions;
  /**
   * Another version of the store, served on this origin as a deploy would: the sync server runs
   * `server`, and the page loads `browserModule` (an absolute path; it exports what
   * `src/shared/definition.ts` exports) in place of the app's definition. A build-time switch,
   * so a page loaded before a restart keeps the version it loaded. @default the app's own
   */
  definition?: { server: AnyStoreDefinition; browserModule: string };
}

/** A running todo app: page, assets and sync endpoint on one origin. */
export interface RunningTodoServer {
  readonly url: string;
  close(): Promise<void>;
}

const appRoot = fileURLToPath(new URL("..", import.meta.url));
const appDefinition = fileURLToPath(new URL("../src/shared/definition.ts", import.meta.url));

/** Resolves the app's imports of its definition to `browserModule` (which may import the original). */
function swapDefinition(browserModule: string): Plugin {
  return {
    name: "todo:swap-definition",
    enforce: "pre",
    async resolveId(source, importer, options) {
      if (importer === undefined || importer === browserModule || !source.includes("definition")) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === appDefinition ? browserModule : null;
    },
  };
}

/**
 * Starts the todo app in one process and on one port: Vite serves the page (as middleware, with
 * hot reload), and the sync server answers on `/sync`, storing in SQLite.
 */
export async function startTodoServer(options: StartTodoServerOptions): Promise<RunningTodoServer> {
  const auth = todoAuth(options.auth ?? { secret: authSecret(process.env, true) });
  const sync = createTodoSyncServer(
    openSqliteStorage({ path: options.dbFile }),
    auth,
    options.definition?.server,
  );
  const http: Server = createHttpServer();
  const vite = await createViteServer({
    root: appRoot,
    configFile: `${appRoot}/vite.config.ts`,
    appType: "spa",
    logLevel: "warn",
    plugins: options.definition ? [swapDefinition(options.definition.browserModule)] : [],
    // Without hot reload, no Vite WebSocket either: its client reloads the page when that socket
    // comes back after a restart, and a page must keep the version it loaded (a deploy's test).
    server:
      options.hmr === false
        ? { middlewareMode: true, hmr: false, ws: false }
        : { middlewareMode: true, hmr: { server: http } },
  });
  // The sync server takes `/sync` (WebSocket, and HTTP for clients without WebSockets), `/healthz`
  // and `/metrics`; `POST /auth/login` signs a token; everything else goes to Vite.
  const detach = attach(sync, http, {
    path: "/sync",
    fallback: (req, res) => {
      void auth.handleLogin(req, res).then(
        (handled) => {
          if (!handled) vite.middlewares(req, res);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    },
  });
  await new Promise<void>((resolve) =>
    http.listen(options.port ?? 5173, options.host ?? "127.0.0.1", resolve),
  );
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}/`,
    async close() {
      await detach();
      await vite.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await sync.close();
    },
  };
}
