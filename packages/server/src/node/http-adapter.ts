import type { IncomingMessage, ServerResponse } from "node:http";
import type { WireErrorCode } from "@synced-store/core/protocol";
import type { SyncServer } from "../sync-server.js";
import { nestsDeeperThan } from "../util/json-depth.js";
import { pathOf, requestInfo } from "./request-info.js";

/** Options of `createHttpHandler`. */
export interface HttpHandlerOptions {
  /** Path prefix of the endpoints (`{path}/connect`, `/push`, `/pull`, `/action`, `/presence`). @default "/sync" */
  path?: string;
}

const KINDS = new Set(["connect", "push", "pull", "action", "presence"]);

/**
 * The HTTP endpoints for hosts without WebSockets. `POST {path}/{connect|push|pull|action|presence}` with
 * body `{ "connect": <connect message>, "message"?: <message of that type> }`; the answer is
 * `{ "messages": [<server messages>] }`. Each request is a short-lived connection: the connect
 * runs (authentication included), then the message, and the reply holds what the server sent.
 * Returns a Node request listener that resolves to false for requests it does not handle.
 */
export function createHttpHandler(server: SyncServer, options: HttpHandlerOptions = {}) {
  const prefix = options.path ?? "/sync";
  const maxBody = server.limits.maxFrameBytes * 2;
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = pathOf(req.url);
    if (path === prefix && req.headers.upgrade === undefined) {
      // A browser or curl opening the endpoint: say what it is instead of falling through to the
      // app's pages.
      res.setHeader("upgrade", "websocket");
      return reply(
        res,
        426,
        "bad_message",
        `This is the Synced-Store sync endpoint: open a WebSocket to ${prefix}, or POST to ${prefix}/connect, /push, /pull, /action or /presence`,
      );
    }
    if (!path.startsWith(prefix + "/")) return false;
    const kind = path.slice(prefix.length + 1);
    if (!KINDS.has(kind)) return false;
    if (req.method !== "POST") return reply(res, 405, "bad_message", "Use POST");
    const body = await readBody(req, maxBody);
    if (body === undefined) {
      res.setHeader("connection", "close");
      return reply(res, 413, "frame_too_large", `Body over ${maxBody} bytes`);
    }
    // Before parsing: deep nesting would overflow the stack of what runs after `JSON.parse`.
    const { maxJsonDepth } = server.limits;
    if (nestsDeeperThan(body, maxJsonDepth)) {
      return reply(
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
      return reply(res, 400, "bad_message", "Malformed JSON body");
    }
    if (typeof parsed !== "object" || parsed === null || parsed.connect === undefined) {
      return reply(res, 400, "bad_message", 'Body must be { "connect": …, "message"?: … }');
    }
    const message = parsed.message as { type?: unknown } | undefined;
    if (kind === "connect" && message !== undefined) {
      return reply(res, 400, "bad_message", `POST ${prefix}/connect carries no "message"`);
    }
    if (kind !== "connect" && (typeof message !== "object" || message === null || message.type !== kind)) {
      return reply(res, 400, "bad_message", `POST ${prefix}/${kind} carries a "${kind}" message`);
    }
    const frames: string[] = [];
    let closed = false;
    const handle = server.connect(
      (frame) => frames.push(frame),
      () => (closed = true),
      { ...requestInfo(req), transport: "http" },
    );
    try {
      handle.handleMessage(JSON.stringify(parsed.connect));
      await handle.idle();
      if (!closed && message !== undefined) {
        handle.handleMessage(JSON.stringify(message));
        await handle.idle();
      }
    } finally {
      handle.close();
    }
    const answer = `{"messages":[${frames.join(",")}]}`;
    server.metrics.bytesOut.add({ transport: "http" }, Buffer.byteLength(answer));
    res.writeHead(200, { "content-type": "application/json" });
    res.end(answer);
    return true;
  };
}

/** A refused request: `{ "error": message, "code": <wire error code> }`. */
function reply(res: ServerResponse, status: number, code: WireErrorCode, message: string): true {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: message, code }));
  return true;
}

function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      // Over the limit: answer at once and discard the rest, so the 413 reaches the client.
      if (size > max) resolve(undefined);
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(size > max ? undefined : Buffer.concat(chunks).toString()));
    req.on("error", reject);
  });
}
