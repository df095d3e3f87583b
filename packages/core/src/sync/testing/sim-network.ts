import { decodeClientMessage, encodeMessage } from "../../protocol/codec.js";
import type { ConnectionHandlers, Transport } from "../transport.js";
import type { SimServer, SimServerConnection } from "./sim-server.js";

/** One simulated connection: frames wait in a queue per direction until the test delivers them. */
export interface SimLink {
  opened: boolean;
  closed: boolean;
  /** Client → server frames not yet delivered. */
  readonly up: string[];
  /** Server → client frames not yet delivered. */
  readonly down: string[];
  readonly handlers: ConnectionHandlers;
  readonly server: SimServerConnection;
}

/** Which queue of a link. */
export type Direction = "up" | "down";

/**
 * A network between sync clients and a `SimServer` that the test drives frame by frame: open
 * connections, deliver any queued frame (reordering), deliver without dequeuing (duplicating),
 * drop frames and cut connections — the Yjs `TestConnector` idea, for the sync protocol.
 */
export class SimNetwork {
  readonly links: SimLink[] = [];

  constructor(private readonly server: SimServer) {}

  /** A transport whose connections go through this network. */
  transport(): Transport {
    return {
      kind: "websocket",
      open: (handlers) => {
        const link: SimLink = {
          opened: false,
          closed: false,
          up: [],
          down: [],
          handlers,
          server: this.server.connect((message) => {
            if (!link.closed) link.down.push(encodeMessage(message));
          }),
        };
        this.links.push(link);
        return {
          send: (frame) => {
            if (link.opened && !link.closed) link.up.push(frame);
          },
          close: () => this.cut(link),
        };
      },
    };
  }

  /** Links that are neither closed nor waiting to open. */
  live(): SimLink[] {
    return this.links.filter((l) => l.opened && !l.closed);
  }

  /** Links waiting to open. */
  opening(): SimLink[] {
    return this.links.filter((l) => !l.opened && !l.closed);
  }

  open(link: SimLink): void {
    if (link.opened || link.closed) return;
    link.opened = true;
    link.handlers.onOpen();
  }

  /** The connection attempt fails before opening. */
  refuse(link: SimLink): void {
    if (link.opened || link.closed) return;
    link.closed = true;
    link.handlers.onClose({ code: 1006, reason: "refused", opened: false });
  }

  /** Delivers the frame at `index` of a queue; `keep` leaves it queued (a duplicate follows). */
  deliver(link: SimLink, direction: Direction, index = 0, keep = false): boolean {
    const queue = link[direction];
    if (link.closed || queue.length === 0) return false;
    const at = index % queue.length;
    const frame = queue[at]!;
    if (!keep) queue.splice(at, 1);
    if (direction === "up") link.server.handle(decodeClientMessage(frame));
    else link.handlers.onFrame(frame);
    return true;
  }

  /** Loses the frame at `index` of a queue. */
  drop(link: SimLink, direction: Direction, index = 0): void {
    const queue = link[direction];
    if (queue.length > 0) queue.splice(index % queue.length, 1);
  }

  /** Ends a connection on both sides; queued frames are lost. */
  cut(link: SimLink): void {
    if (link.closed) return;
    link.closed = true;
    link.up.length = 0;
    link.down.length = 0;
    link.server.close();
    link.handlers.onClose({ code: 1006, reason: "cut", opened: link.opened });
  }

  /** Delivers every queued frame in order, both ways, until the network is quiet (bounded). */
  drain(maxFrames = 10_000): void {
    for (let n = 0; n < maxFrames; n++) {
      const link = this.live().find((l) => l.up.length > 0 || l.down.length > 0);
      if (link === undefined) return;
      this.deliver(link, link.up.length > 0 ? "up" : "down");
    }
  }
}
