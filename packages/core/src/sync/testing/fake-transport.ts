import { decodeClientMessage, encodeMessage } from "../../protocol/codec.js";
import type { ClientMessage, ServerMessage } from "../../protocol/messages.js";
import type { ConnectionHandlers, Transport, TransportConnection } from "../transport.js";

/** The server's end of one `FakeTransport` connection, driven by the test. */
export class FakeLink implements TransportConnection {
  readonly sent: ClientMessage[] = [];
  closed = false;
  opened = false;

  constructor(private readonly handlers: ConnectionHandlers) {}

  /** The connection opens. */
  open(): void {
    this.opened = true;
    this.handlers.onOpen();
  }
  /** The server sends `message`. */
  receive(message: ServerMessage): void {
    if (!this.closed) this.handlers.onFrame(encodeMessage(message));
  }
  /** The server sends a raw frame. */
  receiveRaw(frame: string): void {
    if (!this.closed) this.handlers.onFrame(frame);
  }
  /** The connection ends from the server's side (or could not open, when never opened). */
  serverClose(code = 1006, reason = "", retryAfterMs?: number): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.onClose({
      code,
      reason,
      opened: this.opened,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  /** Messages of `type` the client sent. */
  sentOf<T extends ClientMessage["type"]>(type: T): Array<Extract<ClientMessage, { type: T }>> {
    return this.sent.filter((m): m is Extract<ClientMessage, { type: T }> => m.type === type);
  }

  send(frame: string): void {
    if (!this.closed && this.opened) this.sent.push(decodeClientMessage(frame));
  }
  close(code = 1000, reason = ""): void {
    this.serverClose(code, reason);
  }
}

/** A transport whose connections the test opens, feeds and closes by hand. */
export class FakeTransport implements Transport {
  readonly links: FakeLink[] = [];
  constructor(readonly kind: Transport["kind"] = "websocket") {}

  open(handlers: ConnectionHandlers): TransportConnection {
    const link = new FakeLink(handlers);
    this.links.push(link);
    return link;
  }

  /** The most recent connection. */
  get last(): FakeLink {
    const link = this.links[this.links.length - 1];
    if (link === undefined) throw new Error("No connection was opened");
    return link;
  }
}
