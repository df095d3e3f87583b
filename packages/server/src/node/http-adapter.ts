import type { IncomingMessage, ServerResponse } from "node:http";
import type { WireErrorCode } from "@synced-store/core/protocol";
import type { SyncServer } from "../sync-server.js";
import { nestsDeeperThan } from "../util/json-depth.js";
import { sendJson, type CompressionOptions } from "./compression.js";
import { HttpRateLimit, type RateScope } from "./http-rate-limit.js";
import { readBody } from "./request-body.js";
import { pathOf, requestInfo } from "./request-info.js";

/** Options of `createHttpHandler`. */
export interface HttpHandlerOptions {
  /** Path prefix of the endpoints (`{path}/connect`, `/push`, `/pull`, `/action`, `/presence`). @default "/sync" */
  path?: string;
  /**
   * Gzip for answers to requests that accept it, from a size on; false sends them as they are.
   * Request bodies with `Content-Encoding: gzip` are accepted either way. @default `{ thresholdBytes: 1024 }`
   */
  compression?: CompressionOptions | false;
  /** Milliseconds clock of the rate limits (`Limits.httpRequestsPerSecondPerUser`, `…PerClient`). @default `performance.now` */
  now?: () => number;
}

const KINDS = new Set(["connect", "push", "pull", "action", "presence"]);

/**
 * The HTTP endpoints for hosts without WebSockets. `POST {path}/{connect|push|pull|action|presence}` with
 * body `{ "connect": <connect message>, "message"?: <message of that type> }`; the answer is
 * `{ "messages": [<server messages>] }`. Each request is a short-lived connection: the connect
 * runs (authentication included), then the message, and the reply holds what the server sent.
 * Requests are rate-limited per client id (before authentication) and per user (once
 * authentication names the user, before authorization and admission): one
 * over its rate gets 429 with `Retry-After` and `{ error, code: "rate_limited", scope, retry_after_ms }`.
 * Returns a Node request listener that resolves to false for requests it does not handle.
 */
export function createHttpHandler(server: SyncServer, options: HttpHandlerOptions = {}) {
  const prefix = options.path ?? "/sync";
  const maxBody = server.limits.maxFrameBytes * 2;
  const compression = options.compression ?? {};
  const rate = new HttpRateLimit(server.limits, server.metrics, options.now);
  const reply = async (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    code: WireErrorCode,
    message: string,
    extra: { headers?: Record<string, string>; fields?: Record<string, unknown> } = {},
  ): Promise<true> => {
    await sendJson(
      req,
      res,
      status,
      JSON.stringify({ error: message, code, ...extra.fields }),
      compression,
      extra.headers,
    );
    return true;
  };
  const tooMany = (req: IncomingMessage, res: ServerResponse, scope: RateScope, waitMs: number) => {
    return reply(
      req,
      res,
      429,
      "rate_limited",
      `Too many requests from this ${scope}; retry in ${waitMs} ms`,
      {
        headers: { "retry-after": String(Math.max(1, Math.ceil(waitMs / 1000))) },
        fields: { scope, retry_after_ms: waitMs },
      },
    );
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = pathOf(req.url);
    if (path === prefix && req.headers.upgrade === undefined) {
      // A browser or curl opening the endpoint: say what it is instead of falling through to the
      // app's pages.
      res.setHeader("upgrade", "websocket");
      return reply(
        req,
        res,
        426,
        "bad_message",
        `This is the Synced-Store sync endpoint: open a WebSocket to ${prefix}, or POST to ${prefix}/connect, /push, /pull, /action or /presence`,
      );
    }
    if (!path.startsWith(prefix + "/")) return false;
    const kind = path.slice(prefix.length + 1);
    if (!KINDS.has(kind)) return false;
    if (req.method !== "POST") return reply(req, res, 405, "bad_message", "Use POST");
    const read = await readBody(req, maxBody);
    if (!read.ok) {
      if (read.status === 413) res.setHeader("connection", "close");
      return reply(req, res, read.status, read.code, read.message);
    }
    const body = read.text;
    // Before parsing: deep nesting would overflow the stack of what runs after `JSON.parse`.
    const { maxJsonDepth } = server.limits;
    if (nestsDeeperThan(body, maxJsonDepth)) {
      return reply(
        req,
        res,
        400,
        "bad_message",
        `Bodies may nest arrays and objects at most ${maxJsonDepth} deep`,
      );
    }
    server.metrics.bytesIn.add({ transport: "http" }, Buffer.byteLength(body));
    let parsed: { connect?: unknown; message?: unknown };
    try {
      parsed = JSON.parse(body) as { connect?: unknown; message?: unknown };
    } catch {
      return reply(req, res, 400, "bad_message", "Malformed JSON body");
    }
    if (typeof parsed !== "object" || parsed === null || parsed.connect === undefined) {
      return reply(req, res, 400, "bad_message", 'Body must be { "connect": …, "message"?: … }');
    }
    const { connect } = parsed;
    const clientId =
      typeof connect === "object" && connect !== null && "client_id" in connect
        ? connect.client_id
        : undefined;
    if (typeof clientId === "string") {
      const wait = rate.client(clientId);
      if (wait > 0) return tooMany(req, res, "client", wait);
    }
    const message = parsed.message as { type?: unknown } | undefined;
    if (kind === "connect" && message !== undefined) {
      return reply(req, res, 400, "bad_message", `POST ${prefix}/connect carries no "message"`);
    }
    if (kind !== "connect" && (typeof message !== "object" || message === null || message.type !== kind)) {
      return reply(req, res, 400, "bad_message", `POST ${prefix}/${kind} carries a "${kind}" message`);
    }
    const frames: string[] = [];
    let closed = false;
    /** Set when the user is over their rate: the handshake stops before authorizing and admitting. */
    let userWait = 0;
    const handle = server.connect(
      (frame) => frames.push(frame),
      () => (closed = true),
      {
        ...requestInfo(req),
        transport: "http",
        admitUser: (userId) => {
          userWait = rate.user(userId);
          return userWait > 0 ? "Too many requests from this user" : undefined;
        },
      },
    );
    try {
      handle.handleMessage(JSON.stringify(parsed.connect));
      await handle.idle();
      if (userWait > 0) return await tooMany(req, res, "user", userWait);
      if (!closed && message !== undefined) {
        handle.handleMessage(JSON.stringify(message));
        await handle.idle();
      }
    } finally {
      handle.close();
    }
    const answer = `{"messages":[${frames.join(",")}]}`;
    server.metrics.bytesOut.add({ transport: "http" }, Buffer.byteLength(answer));
    await sendJson(req, res, 200, answer, compression);
    return true;
  };
}
