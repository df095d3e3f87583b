import type { CloseInfo, ConnectionHandlers, Transport, TransportConnection } from "./transport.js";

/**
 * The part of the WebSocket API the transport uses: met by browsers' global `WebSocket` and by the
 * `ws` package in Node.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** A WebSocket constructor: `globalThis.WebSocket`, or `WebSocket` from `ws`. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** Options of `webSocketTransport`. */
export interface WebSocketTransportOptions {
  /** `ws://` or `wss://` URL of the server's sync endpoint. */
  readonly url: string;
  /** @default globalThis.WebSocket */
  readonly WebSocket?: WebSocketConstructor;
}

const OPEN = 1;
const decoder = new TextDecoder();

function frameText(data: unknown): string {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return decoder.decode(data);
  if (ArrayBuffer.isView(data)) return decoder.decode(data);
  return String(data);
}

/**
 * A transport over WebSocket. This is the one core file that touches the browser's `WebSocket`
 * global, and only when no constructor is passed.
 */
export function webSocketTransport(options: WebSocketTransportOptions): Transport {
  const Ctor =
    options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket ?? undefined;
  return {
    kind: "websocket",
    open(handlers: ConnectionHandlers): TransportConnection {
      if (Ctor === undefined) {
        throw new Error("No WebSocket implementation: pass the `WebSocket` option (e.g. from `ws`)");
      }
      let opened = false;
      let closed = false;
      const finish = (info: CloseInfo) => {
        if (closed) return;
        closed = true;
        handlers.onClose(info);
      };
      let socket: WebSocketLike;
      try {
        socket = new Ctor(options.url);
      } catch (error) {
        // A malformed URL throws synchronously; report it like any failed connection, later, so the
        // caller's state is set up before its handlers run.
        const reason = error instanceof Error ? error.message : String(error);
        void Promise.resolve().then(() => finish({ code: 1006, reason, opened: false }));
        return { send: () => undefined, close: () => undefined };
      }
      socket.onopen = () => {
        opened = true;
        if (!closed) handlers.onOpen();
      };
      socket.onmessage = (event) => {
        if (!closed) handlers.onFrame(frameText(event.data));
      };
      socket.onclose = (event) => finish({ code: event.code, reason: event.reason, opened });
      // An error is always followed by a close event; the close carries what we report.
      socket.onerror = () => undefined;
      return {
        send(frame) {
          if (!closed && socket.readyState === OPEN) socket.send(frame);
        },
        close(code = 1000, reason = "") {
          try {
            socket.close(code, reason);
          } finally {
            // Report at once: a socket that never opened may take long to emit its close event.
            finish({ code, reason, opened });
          }
        },
      };
    },
  };
}
