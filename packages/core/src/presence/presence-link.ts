import type { PresenceUpdateMessage } from "../protocol/messages.js";

/**
 * The contract between a store's presence channel and the sync layer that carries it. The channel
 * implements it; the sync client drives it. Kept here so presence never imports `sync/`.
 */
export interface PresenceLink {
  /** This client's own state as the wire carries it, or null when it has none. */
  ownState(): unknown;
  /** Calls `listener` whenever the own state changes (to send it). Returns an unsubscribe. */
  onOwnChange(listener: () => void): () => void;
  /** Applies a `presence` message from the server. */
  receive(message: PresenceUpdateMessage): void;
  /**
   * The connection ended: the others are unknown until the next connection's snapshot, so they
   * are dropped now rather than shown frozen where they were.
   */
  disconnected(): void;
}
