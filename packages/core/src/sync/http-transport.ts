import { decodeClientMessage } from "../protocol/codec.js";
import type { ClientMessage, ConnectMessage } from "../protocol/messages.js";
import type { ConnectionHandlers, Transport, TransportConnection } from "./transport.js";

/** The part of `fetch` the HTTP transport uses. */
export type FetchLike = (
  url: string,
  init: { method: "POST"; headers: Record<string, string>; body: string },
) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

/** The wait a rate-limited answer (`429`, body `{ retry_after_ms }`) asks for, if it names one. */
function retryAfterMs(body: string): number | undefined {
  try {
    const wait = (JSON.parse(body) as { retry_after_ms?: unknown }).retry_after_ms;
    return typeof wait === "number" && Number.isFinite(wait) && wait > 0 ? wait : undefined;
  } catch {
    return undefined;
  }
}

/** Options of `httpTransport`. */
export interface HttpTransportOptions {
  /** Base URL of the server's HTTP sync endpoints, e.g. `https://host/sync`. */
  readonly url: string;
  /** @default globalThis.fetch */
  readonly fetch?: FetchLike;
}

/**
 * A transport over plain HTTP requests, for networks that block WebSockets. Each client message
 * is one `POST {url}/{type}` whose body is `{ connect, message }` — HTTP keeps no connection, so
 * every request carries the `connect` message that identifies and authenticates the client — and
 * whose response is `{ "messages": [<server messages>] }` (what `createHttpHandler` of
 * `@synced-store/server/node` serves). Requests go one at a time, in order. The
 * server pushes nothing over HTTP; the sync client polls with `pull`.
 */
export function httpTransport(options: HttpTransportOptions): Transport {
  const base = options.url.replace(/\/+$/, "");
  return {
    kind: "http",
    open(handlers: ConnectionHandlers): TransportConnection {
      const doFetch = options.fetch ?? (globalThis as { fetch?: FetchLike }).fetch;
      let closed = false;
      let connect: ConnectMessage | null = null;
      let queue: Promise<void> = Promise.resolve();
      /** A presence message queued and not yet posted: a newer one replaces its state. */
      let queuedPresence: { message: ClientMessage } | null = null;
      const close = (code: number, reason: string, retryAfterMs?: number) => {
        if (closed) return;
        closed = true;
        handlers.onClose({
          code,
          reason,
          opened: true,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        });
      };
      const post = async (message: ClientMessage): Promise<void> => {
        if (closed || connect === null || doFetch === undefined) return;
        const body = message.type === "connect" ? { connect } : { connect, message };
        let frames: unknown;
        try {
          const response = await doFetch(`${base}/${message.type}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
          });
          const text = await response.text();
          if (!response.ok) {
            const reason = `HTTP ${response.status} from ${base}/${message.type}`;
            close(1011, reason, response.status === 429 ? retryAfterMs(text) : undefined);
            return;
          }
          frames = JSON.parse(text);
        } catch (error) {
          close(1006, error instanceof Error ? error.message : String(error));
          return;
        }
        // The reference server answers `{ messages: [...] }`; a bare array is accepted too.
        if (typeof frames === "object" && frames !== null && "messages" in frames) frames = frames.messages;
        if (!Array.isArray(frames)) {
          close(1002, "The server's HTTP response is not an array of messages");
          return;
        }
        for (const frame of frames) {
          if (closed) return;
          const f = frame as { type?: unknown; history_id?: unknown };
          if (f.type === "connected" && typeof f.history_id === "string" && connect !== null) {
            // Later requests handshake again with this connect: carry the history the client now
            // follows, or the server would reset it on every request. Version and mutation id 0
            // never look ahead of the server; each pull names its own base version.
            connect = { ...connect, history_id: f.history_id, base_version: 0, last_mutation_id: 0 };
          }
          handlers.onFrame(JSON.stringify(frame));
        }
      };
      void Promise.resolve().then(() => {
        if (closed) return;
        if (doFetch === undefined) close(1006, "No fetch implementation: pass the `fetch` option");
        else handlers.onOpen();
      });
      return {
        send(frame) {
          if (closed) return;
          const message = decodeClientMessage(frame);
          // Heartbeats are for sockets; each HTTP request already proves the server is there.
          if (message.type === "ping") return;
          // Every request carries the connect message: a fresh credential goes there.
          if (message.type === "auth") {
            if (connect !== null) connect = { ...connect, auth: message.auth };
            return;
          }
          if (message.type === "connect") connect = message;
          if (message.type === "presence") {
            // A cursor streams faster than requests return: only the latest state waits in line.
            if (queuedPresence !== null) {
              queuedPresence.message = message;
              return;
            }
            const slot = { message: message as ClientMessage };
            queuedPresence = slot;
            queue = queue.then(() => {
              queuedPresence = null;
              return post(slot.message);
            });
            return;
          }
          queue = queue.then(() => post(message));
        },
        close(code = 1000, reason = "") {
          close(code, reason);
        },
      };
    },
  };
}
