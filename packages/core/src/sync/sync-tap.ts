import type { ClientMessage, ServerMessage } from "../protocol/messages.js";
import type { Transport } from "./transport.js";

/** A step of the connection loop, as an inspector records it. */
export interface ConnectionEvent {
  readonly step: "opening" | "open" | "connected" | "closed";
  readonly transport: Transport["kind"];
  /** Why a connection closed (`closed`), or the server's version (`connected`). */
  readonly detail?: string;
}

/**
 * What the sync client tells an observer (the store's inspector) about the wire: every frame
 * sent and received, and every step of the connection loop. The observer decides whether to
 * record; the client only calls it.
 */
export interface SyncTap {
  frame(direction: "in" | "out", frame: string, message: ClientMessage | ServerMessage): void;
  connection(event: ConnectionEvent): void;
}
