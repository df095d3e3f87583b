/**
 * How the sync client reaches a server. A transport opens connections; a connection carries
 * protocol frames (JSON text) both ways. Implementations: `websocket-transport.ts` and
 * `http-transport.ts`; tests may plug in their own.
 */

/** Why a connection ended. */
export interface CloseInfo {
  /** WebSocket close code, or 1006 when the connection failed without one. */
  readonly code: number;
  readonly reason: string;
  /** Whether the connection ever opened (false: it could not be established at all). */
  readonly opened: boolean;
  /** The server asked for no new attempt before this many milliseconds (an HTTP 429's `retry_after_ms`). */
  readonly retryAfterMs?: number;
}

/** Callbacks of one connection. Each is called on the connection's own events only. */
export interface ConnectionHandlers {
  /** The connection is ready to send. */
  onOpen(): void;
  /** One frame from the server (a JSON-encoded server message). */
  onFrame(frame: string): void;
  /** The connection ended, or could not be established; called once, and nothing after it. */
  onClose(info: CloseInfo): void;
}

/** One open (or opening) connection. */
export interface TransportConnection {
  /** Sends one frame (a JSON-encoded client message). Frames sent before open are dropped. */
  send(frame: string): void;
  /** Closes the connection; `onClose` follows. */
  close(code?: number, reason?: string): void;
}

/** Opens connections to one server. */
export interface Transport {
  /** `"websocket"` pushes pokes; `"http"` only answers requests, so the client polls with pulls. */
  readonly kind: "websocket" | "http";
  open(handlers: ConnectionHandlers): TransportConnection;
}
