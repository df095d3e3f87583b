import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { attach } from "@synced-store/server/node";
import { openSqliteStorage } from "@synced-store/server/sqlite";
import { createServer as createViteServer } from "vite";
import { createWhiteboardSyncServer } from "./create-whiteboard-sync-server.js";

/** Options of {@link startWhiteboardServer}. */
export interface StartWhiteboardServerOptions {
  /** @default 5174 (0 picks a free port) */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** SQLite file of the sync server. */
  dbFile: string;
  /** Hot module reload for development. @default true */
  hmr?: boolean;
}

/** A running whiteboard: page, assets and sync endpoint on one origin. */
export interface RunningWhiteboardServer {
  readonly url: string;
  close(): Promise<void>;
}

const appRoot = fileURLToPath(new URL("..", import.meta.url));

/**
 * Starts the whiteboard in one process and on one port: Vite serves the page (as middleware, with
 * hot reload), and the sync server answers on `/sync`, storing in SQLite.
 */
export async function startWhiteboardServer(
  options: StartWhiteboardServerOptions,
): Promise<RunningWhiteboardServer> {
  const sync = createWhiteboardSyncServer(openSqliteStorage({ path: options.dbFile }));
  const http: Server = createHttpServer();
  const vite = await createViteServer({
    root: appRoot,
    configFile: `${appRoot}/vite.config.ts`,
    appType: "spa",
    logLevel: "warn",
    server: { middlewareMode: true, hmr: options.hmr === false ? false : { server: http } },
  });
  // The sync server takes `/sync` (WebSocket, and HTTP for clients without WebSockets), `/healthz`
  // and `/metrics`; everything else goes to Vite.
  const detach = attach(sync, http, { path: "/sync", fallback: (req, res) => vite.middlewares(req, res) });
  await new Promise<void>((resolve) =>
    http.listen(options.port ?? 5174, options.host ?? "127.0.0.1", resolve),
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
