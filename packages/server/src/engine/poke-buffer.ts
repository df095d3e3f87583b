import { privateKeyOwner, visibilityOf } from "@synced-store/core/internal";
import { type PatchOp } from "@synced-store/core/protocol";
import type { RejectionBounds } from "../storage/storage.js";
import { defaultLimits } from "./limits.js";
import { boundedRejections, rejectionBounds, wireRejections, type Rejection } from "./rejection-log.js";
import { DELETED, type ClientState } from "./space-state.js";

/** A connection as the space engine sees it. */
export interface SpaceConnection {
  readonly userId: string;
  readonly clientId: string;
  /** The version of the store definition the client runs. */
  readonly schemaVersion: number;
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
 * How a client of an older definition version reads values (see `downgradeValue`); undefined
 * for a version that reads them as they are.
 */
export type ReadableFor = (schemaVersion: number) => ((key: string, value: unknown) => unknown) | undefined;

/**
 * Commits waiting to be poked. Commits that land before the next flush merge into one poke
 * (final values only, later writes win), so a burst of pushes costs one frame per connection.
 */
export class PokeBuffer {
  #from = 0;
  #to = 0;
  #writes = new Map<string, unknown>();
  #clients = new Map<string, ClientState>();
  /** Rejected mutations the commits acknowledge, by client, in id order. */
  #rejections = new Map<string, Rejection[]>();
  /** `performance.now()` of the oldest commit not yet poked. */
  #oldest = 0;

  /** @param bounds What of a client's rejections one poke carries (newest first). */
  constructor(private readonly bounds: RejectionBounds = rejectionBounds(defaultLimits)) {}

  get empty(): boolean {
    return this.#to === 0;
  }

  /** Adds the committed versions `from..to`, with the rejections of the mutations they process. */
  add(
    from: number,
    to: number,
    writes: Iterable<readonly [string, unknown]>,
    clients: ReadonlyMap<string, ClientState>,
    rejections: ReadonlyMap<string, readonly Rejection[]> = new Map(),
  ): void {
    if (this.empty) {
      this.#from = from;
      this.#oldest = performance.now();
    }
    this.#to = to;
    for (const [k, v] of writes) this.#writes.set(k, v);
    for (const [id, c] of clients) this.#clients.set(id, c);
    for (const [id, list] of rejections) {
      if (list.length > 0) this.#rejections.set(id, [...(this.#rejections.get(id) ?? []), ...list]);
    }
  }

  /**
   * Sends one poke per connection that needs it, each filtered for its user, and empties the
   * buffer. Shared patches are encoded once; a user's frame adds only its private patches and
   * its clients' last mutation ids, and users with neither share one frame. Returns how long the
   * oldest commit waited, in ms.
   */
  flush(connections: Iterable<SpaceConnection>, readableFor?: ReadableFor): number | undefined {
    if (this.empty) return undefined;
    // Patches encoded once per way of reading them: as stored, or downgraded for older clients.
    const encodings = new Map<(key: string, value: unknown) => unknown, EncodedParts>();
    const current = this.#encodeParts(undefined);
    const frames = new Map<string, string>();
    // Connections whose own mutations this poke acknowledges go last: their clients already show
    // those changes, while everyone else is still waiting to see them. Each send costs a syscall,
    // and over a large space that order is what peers' latency is made of.
    for (const conn of peersFirst(connections, this.#clients)) {
      if (conn.resetPending || conn.version >= this.#to) continue;
      const readable = readableFor?.(conn.schemaVersion);
      let parts = current;
      if (readable !== undefined) {
        parts = encodings.get(readable) ?? this.#encodeParts(readable);
        encodings.set(readable, parts);
      }
      const own = parts.privateByUser.has(conn.userId) || parts.clientsByUser.has(conn.userId);
      const cacheKey = `${readable === undefined ? "" : `v${conn.schemaVersion}:`}${own ? `u:${conn.userId}` : "shared"}`;
      let frame = frames.get(cacheKey);
      if (frame === undefined) {
        frame = this.#frame(parts, own ? conn.userId : undefined);
        frames.set(cacheKey, frame);
      }
      conn.sendFrame(withRejections(frame, this.#rejectionsOf(conn.clientId)));
      conn.version = this.#to;
    }
    const waited = performance.now() - this.#oldest;
    this.#writes = new Map<string, unknown>();
    this.#clients = new Map();
    this.#rejections = new Map();
    this.#from = 0;
    this.#to = 0;
    return waited;
  }

  /** The `rejections` of `clientId`'s poke as JSON, or undefined when it has none. */
  #rejectionsOf(clientId: string): string | undefined {
    const list = this.#rejections.get(clientId);
    if (list === undefined) return undefined;
    return JSON.stringify(wireRejections(boundedRejections(clientId, list, this.bounds)));
  }

  /** The patches encoded as JSON once: shared ones joined, private ones by owner. */
  #encodeParts(readable: ((key: string, value: unknown) => unknown) | undefined): EncodedParts {
    const shared: string[] = [];
    const privateByUser = new Map<string, string[]>();
    for (const [key, value] of this.#writes) {
      const visibility = visibilityOf(key);
      if (visibility === "server-only") continue;
      const patch: PatchOp =
        value === DELETED
          ? { op: "del", key }
          : { op: "set", key, value: readable === undefined ? value : readable(key, value) };
      const json = JSON.stringify(patch);
      if (visibility === "shared") shared.push(json);
      else {
        const owner = privateKeyOwner(key)!;
        const list = privateByUser.get(owner) ?? [];
        list.push(json);
        privateByUser.set(owner, list);
      }
    }
    // Maps, not objects: a client id is any string, `__proto__` included.
    const clientsByUser = new Map<string, Map<string, number>>();
    for (const [id, c] of this.#clients) {
      const ids = clientsByUser.get(c.userId) ?? new Map<string, number>();
      ids.set(id, c.lastMutationId);
      clientsByUser.set(c.userId, ids);
    }
    return { shared: shared.join(","), privateByUser, clientsByUser };
  }

  /** The poke frame for `userId` (undefined: a user with no private patches and no clients here). */
  #frame(parts: EncodedParts, userId: string | undefined): string {
    const own = userId === undefined ? undefined : parts.privateByUser.get(userId)?.join(",");
    const patches = [parts.shared, own].filter((p) => p !== undefined && p.length > 0).join(",");
    const ids = userId === undefined ? undefined : parts.clientsByUser.get(userId);
    // Same bytes as encodeMessage of a PokeMessage, assembled from pre-encoded parts.
    return (
      `{"type":"poke","min_included_version":${this.#from},"max_included_version":${this.#to},` +
      `"patches":[${patches}],"client_id_to_last_mutation_id":${encodeIds(ids)}}`
    );
  }
}

/**
 * `frame` with the receiving client's rejections last, where `encodeMessage` puts them. Only the
 * client whose mutations they are hears of them, so acknowledgement and rejection travel in one
 * frame (the separate `mutation_error` may be lost or overtaken).
 */
function withRejections(frame: string, rejections: string | undefined): string {
  return rejections === undefined ? frame : `${frame.slice(0, -1)},"rejections":${rejections}}`;
}

/** `connections`, those of clients in `acknowledged` moved to the end (otherwise in order). */
function peersFirst(
  connections: Iterable<SpaceConnection>,
  acknowledged: ReadonlyMap<string, ClientState>,
): SpaceConnection[] {
  const first: SpaceConnection[] = [];
  const last: SpaceConnection[] = [];
  for (const conn of connections) (acknowledged.has(conn.clientId) ? last : first).push(conn);
  return last.length === 0 ? first : first.concat(last);
}

interface EncodedParts {
  readonly shared: string;
  readonly privateByUser: Map<string, string[]>;
  readonly clientsByUser: Map<string, Map<string, number>>;
}

/** Client ids to last mutation ids as a JSON object (`Object.fromEntries` makes every id an own key). */
function encodeIds(ids: ReadonlyMap<string, number> | undefined): string {
  return ids === undefined ? "{}" : JSON.stringify(Object.fromEntries(ids));
}
