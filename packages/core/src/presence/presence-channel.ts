import { ValidationError } from "../errors.js";
import type { PresenceEntry, PresenceUpdateMessage } from "../protocol/messages.js";
import { validatePresence } from "../schema/validate-presence.js";
import type { z } from "zod";
import { deepEqual } from "../util/deep-equal.js";
import { deepFreeze } from "../util/deep-freeze.js";
import { Listeners } from "../util/listeners.js";
import type { PresenceLink } from "./presence-link.js";

/** Another connection's presence in the space. Frozen; a new object only when its state changed. */
export interface PresencePeer<P = unknown> {
  readonly clientId: string;
  readonly userId: string;
  readonly state: P;
}

const NO_PEERS: readonly PresencePeer[] = Object.freeze([]);

/**
 * One store's presence: its own state (validated against the definition's schema, re-announced
 * on every connection) and the others of the space, as the server reports them. `others()` keeps
 * its identity until something changes, and each peer keeps its identity until its own state
 * changes (structural sharing), so a moving cursor re-renders only that cursor.
 */
export class PresenceChannel<P = unknown> implements PresenceLink {
  #own: P | null = null;
  readonly #peers = new Map<string, PresencePeer<P>>();
  #others: readonly PresencePeer<P>[] = NO_PEERS as readonly PresencePeer<P>[];
  readonly #ownListeners = new Listeners<[P | null]>();
  readonly #sendListeners = new Listeners<[]>();
  readonly #othersListeners = new Listeners<[readonly PresencePeer<P>[]]>();

  constructor(
    private readonly schema: z.ZodType | undefined,
    /** This store's client id (known once the store is ready), never listed among the others. */
    private readonly clientId: () => string,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** This client's presence, or null when it has none. */
  get(): P | null {
    return this.#own;
  }

  /** Replaces this client's presence; throws `ValidationError` "invalid_presence" when it does not fit. */
  set(state: unknown): void {
    this.#setOwn(deepFreeze(validatePresence(this.schema, state)) as P);
  }

  /** Merges `partial` into this client's presence (shallow, like `Object.assign`). */
  update(partial: object): void {
    const base = this.#own;
    if (base !== null && (typeof base !== "object" || Array.isArray(base))) {
      throw new ValidationError("invalid_presence", "update() merges into object presence only; use set()");
    }
    this.set({ ...(base ?? {}), ...partial });
  }

  /** Removes this client's presence for everyone (it stays connected). */
  clear(): void {
    this.#setOwn(null);
  }

  /** The other connections of the space, in the order they appeared. Empty while offline. */
  others(): readonly PresencePeer<P>[] {
    return this.#others;
  }

  /** Calls `listener` with the others whenever they change. Returns an unsubscribe. */
  subscribe(listener: (others: readonly PresencePeer<P>[]) => void): () => void {
    return this.#othersListeners.add(listener);
  }

  /** Calls `listener` whenever this client's own presence changes. Returns an unsubscribe. */
  subscribeOwn(listener: (state: P | null) => void): () => void {
    return this.#ownListeners.add(listener);
  }

  // ---- PresenceLink: driven by the sync layer ----

  ownState(): unknown {
    return this.#own;
  }

  onOwnChange(listener: () => void): () => void {
    return this.#sendListeners.add(listener);
  }

  receive(message: PresenceUpdateMessage): void {
    const self = this.clientId();
    let changed = false;
    if (message.full) {
      const keep = new Set(message.set.map((e) => e.client_id));
      for (const id of this.#peers.keys()) {
        if (!keep.has(id)) changed = this.#peers.delete(id) || changed;
      }
    }
    for (const id of message.removed) changed = this.#peers.delete(id) || changed;
    for (const entry of message.set) {
      if (entry.client_id !== self) changed = this.#put(entry) || changed;
    }
    if (changed) this.#publish();
  }

  disconnected(): void {
    if (this.#peers.size === 0) return;
    this.#peers.clear();
    this.#publish();
  }

  /** Stores `entry`; false when it equals what is known (the old peer object stays). */
  #put(entry: PresenceEntry): boolean {
    const known = this.#peers.get(entry.client_id);
    if (known !== undefined && known.userId === entry.user_id && deepEqual(known.state, entry.state)) {
      return false;
    }
    const peer = { clientId: entry.client_id, userId: entry.user_id, state: deepFreeze(entry.state) as P };
    this.#peers.set(entry.client_id, Object.freeze(peer));
    return true;
  }

  #publish(): void {
    this.#others = Object.freeze([...this.#peers.values()]);
    this.#othersListeners.emit(this.onError, this.#others);
  }

  #setOwn(state: P | null): void {
    if (deepEqual(state, this.#own)) return;
    this.#own = state;
    this.#ownListeners.emit(this.onError, state);
    this.#sendListeners.emit(this.onError);
  }
}
