import type { Server as HttpServer } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import type { SyncServer } from "../sync-server.js";
import type { Socket } from "node:net";
import { pathOf, requestInfo } from "./request-info.js";
import { requestArrived } from "./request-deadline.js";
import { perMessageDeflate, type CompressionOptions } from "./compression.js";

const WEBSOCKET = { transport: "websocket" } as const;

/** Options of `attachWebSocket`. */
export interface WebSocketOptions {
  /** URL path the WebSocket endpoint answers on. @default "/sync" */
  path?: string;
  /** Interval of WebSocket pings; a peer that misses one is dropped. 0 disables. @default 30000 */
  pingIntervalMs?: number;
  /** Bytes waiting in the socket for a peer that reads too slowly before it is dropped. @default 16 MiB */
  maxBufferedBytes?: number;
  /**
   * permessage-deflate for frames from a size on (see `perMessageDeflate`), with clients that
   * offer it; `listen` / `attach` apply the same threshold to gzip on the HTTP endpoints. false
   * turns both off. @default `{ thresholdBytes: 1024 }`
   */
  compression?: CompressionOptions | false;
}

/**
 * Mounts `server` on `httpServer`'s WebSocket upgrades at `path` (other paths are left to other
 * upgrade listeners). Returns the `ws` server; closing the HTTP server does not close it.
 */
export function attachWebSocket(
  server: SyncServer,
  httpServer: HttpServer,
  options: WebSocketOptions = {},
): WebSocketServer {
  const path = options.path ?? "/sync";
  const maxBuffered = options.maxBufferedBytes ?? 16 * 1024 * 1024;
  // Frames up to twice the limit reach the handler, which answers with `frame_too_large`; `ws`
  // cuts anything larger itself (close 1009).
  // `maxPayload` bounds inflated frames too: `ws` stops inflating there (close 1009).
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: server.limits.maxFrameBytes * 2,
    perMessageDeflate: perMessageDeflate(options.compression ?? {}),
  });
  httpServer.on("upgrade", (req, socket, head) => {
    requestArrived(socket as Socket);
    if (pathOf(req.url) === path)
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
    else if (httpServer.listenerCount("upgrade") === 1) socket.destroy();
  });
  const alive = new WeakSet<WebSocket>();
  wss.on("connection", (ws, req) => {
    alive.add(ws);
    ws.on("pong", () => alive.add(ws));
    // What the peer has not read yet is what waits in the socket. Not `ws.bufferedAmount`: it
    // also counts frames queued for the compressor, which a snapshot sent in many parts fills
    // faster than zlib empties it, however fast the peer reads.
    const socket = req.socket;
    const handle = server.connect(
      (frame) => {
        if (ws.readyState !== ws.OPEN) return;
        if (socket.writableLength > maxBuffered) ws.terminate();
        else {
          server.metrics.bytesOut.add(WEBSOCKET, Buffer.byteLength(frame));
          ws.send(frame);
        }
      },
      (code, reason) => ws.close(code, reason),
      requestInfo(req),
    );
    // Binary frames are read as UTF-8 text too: the handler judges the content, not the opcode.
    ws.on("message", (data) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      server.metrics.bytesIn.add(WEBSOCKET, bytes.length);
      handle.handleMessage(bytes.toString());
    });
    ws.on("close", () => handle.close());
    ws.on("error", (error) => server.logger.debug("websocket error", { error: String(error) }));
  });
  const every = options.pingIntervalMs ?? 30_000;
  if (every > 0) {
    const timer = setInterval(() => {
      for (const ws of wss.clients) {
        if (!alive.has(ws)) ws.terminate();
        else {
          alive.delete(ws);
          ws.ping();
        }
      }
    }, every);
    timer.unref();
    wss.on("close", () => clearInterval(timer));
  }
  return wss;
}
