import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { SyncServer } from "../sync-server.js";
import { createAdminHandler } from "./admin-handler.js";
import { watchEventLoopLag } from "./event-loop-lag.js";
import { createHttpHandler } from "./http-adapter.js";
import { pathOf } from "./request-info.js";
import { enforceRequestDeadline } from "./request-deadline.js";
import { attachWebSocket, type WebSocketOptions } from "./ws-adapter.js";

/** Options of `listen` and `attach`. */
export interface ListenOptions extends WebSocketOptions {
  /** @default 0 (any free port) */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /**
   * Serves the admin endpoint (`GET {adminPath}` HTML, `{adminPath}/state` JSON) to requests that
   * present this secret. @default the sync server's `adminToken` (off when neither is set)
   */
  adminToken?: string;
  /** @default "/admin" */
  adminPath?: string;
  /** Milliseconds clock of the HTTP endpoints' rate limits. @default `performance.now` */
  now?: () => number;
  /** Requests the sync server does not answer (e.g. static files). @default 404 */
  fallback?: (req: IncomingMessage, res: ServerResponse) => void;
}

/** A sync server mounted on a Node HTTP server. */
export interface RunningServer {
  readonly httpServer: Server;
  readonly port: number;
  /** `ws://host:port/path` */
  readonly url: string;
  /** Stops accepting, drops open WebSockets and closes the HTTP server (not the sync server). */
  close(): Promise<void>;
}

/**
 * Mounts `server` on an existing HTTP server: WebSocket at `path`, HTTP endpoints under `path/`,
 * `GET /healthz`, `GET /metrics` (Prometheus text) and, given an admin token, the admin endpoint
 * (see `createAdminHandler`). Returns a function that detaches the
 * WebSocket server and closes its connections.
 */
export function attach(
  server: SyncServer,
  httpServer: Server,
  options: ListenOptions = {},
): () => Promise<void> {
  const path = options.path ?? "/sync";
  const wss = attachWebSocket(server, httpServer, options);
  const http = createHttpHandler(server, {
    path,
    ...(options.compression === undefined ? {} : { compression: options.compression }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const adminToken = options.adminToken ?? server.adminToken;
  const admin =
    adminToken === undefined
      ? undefined
      : createAdminHandler(server, {
          token: adminToken,
          ...(options.adminPath ? { path: options.adminPath } : {}),
        });
  const stopLagWatch = watchEventLoopLag(server.metrics);
  const stopDeadline = enforceRequestDeadline(httpServer, server.limits.handshakeTimeoutMs);
  httpServer.on("request", (req: IncomingMessage, res: ServerResponse) => {
    void route(req, res).catch((error: unknown) => {
      server.logger.error("HTTP request failed", { url: req.url, error: String(error) });
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "The server failed to handle this request", code: "internal" }));
    });
  });
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const p = pathOf(req.url);
    if (req.method === "GET" && p === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true }));
    } else if (req.method === "GET" && p === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(server.metrics.toPrometheus());
    } else if (admin?.(req, res)) {
      return;
    } else if (!(await http(req, res))) {
      if (options.fallback) options.fallback(req, res);
      else {
        res.writeHead(404);
        res.end();
      }
    }
  }
  return () =>
    new Promise((resolve) => {
      stopLagWatch();
      stopDeadline();
      for (const ws of wss.clients) ws.terminate();
      wss.close(() => resolve());
    });
}

/** Starts an HTTP server for `server` (see `attach`) and resolves once it listens. */
export async function listen(server: SyncServer, options: ListenOptions = {}): Promise<RunningServer> {
  const httpServer = createServer();
  const detach = attach(server, httpServer, options);
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  return {
    httpServer,
    port,
    url: `ws://${host}:${port}${options.path ?? "/sync"}`,
    async close() {
      await detach();
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
    },
  };
}
