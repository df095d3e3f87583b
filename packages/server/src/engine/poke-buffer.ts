import { canRead, encodeMessage, type PatchOp } from "@synced-store/core";
import { DELETED, type ClientState, type WriteLayer } from "./space-state.js";

/** A connection as the space engine sees it. */
export interface SpaceConnection {
  readonly userId: string;
  readonly clientId: string;
  /** The version of the last state sent to this connection (`connected`, poke or pull response). */
  version: number;
  /** Its state comes from another history: it gets no poke until a pull has sent it a reset. */
  resetPending: boolean;
  /** Sends one encoded server message. */
  sendFrame(frame: string): void;
  /** Ends the connection (the client reconnects and handshakes afresh). */
  drop(reason: string): void;
}

/**
 * Commits waiting to be poked. Commits that land before the next flush merge into one poke
 * (final values only, later writes win), so a burst of pushes costs one frame per connection.
 */
export class PokeBuffer {
  #from = 0;
  #to = 0;
  #writes: WriteLayer = new Map();
  #clients = new Map<string, ClientState>();
  /** `performance.now()` of the oldest commit not yet poked. */
  #oldest = 0;

  get empty(): boolean {
    return this.#to === 0;
  }

  /** Adds the committed versions `from..to`. */
  add(from: number, to: number, writes: WriteLayer, clients: ReadonlyMap<string, ClientState>): void {
    if (this.empty) {
      this.#from = from;
      this.#oldest = performance.now();
    }
    this.#to = to;
    for (const [k, v] of writes) this.#writes.set(k, v);
    for (const [id, c] of clients) this.#clients.set(id, c);
  }

  /**
   * Sends one poke per connection that needs it, each filtered for its user (one encoding per
   * user), and empties the buffer. Returns how long the oldest commit waited, in ms.
   */
  flush(connections: Iterable<SpaceConnection>): number | undefined {
    if (this.empty) return undefined;
    const byUser = new Map<string, string>();
    for (const conn of connections) {
      if (conn.resetPending || conn.version >= this.#to) continue;
      let frame = byUser.get(conn.userId);
      if (frame === undefined) {
        frame = this.#frameFor(conn.userId);
        byUser.set(conn.userId, frame);
      }
      conn.sendFrame(frame);
      conn.version = this.#to;
    }
    const waited = performance.now() - this.#oldest;
    this.#writes = new Map();
    this.#clients = new Map();
    this.#from = 0;
    this.#to = 0;
    return waited;
  }

  #frameFor(userId: string): string {
    const patches: PatchOp[] = [];
    for (const [key, value] of this.#writes) {
      if (!canRead(userId, key)) continue;
      patches.push(value === DELETED ? { op: "del", key } : { op: "set", key, value });
    }
    const lastMutationIds: Record<string, number> = {};
    for (const [id, c] of this.#clients) if (c.userId === userId) lastMutationIds[id] = c.lastMutationId;
    return encodeMessage({
      type: "poke",
      min_included_version: this.#from,
      max_included_version: this.#to,
      patches,
      client_id_to_last_mutation_id: lastMutationIds,
    });
  }
}
