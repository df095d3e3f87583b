import type { WireMutation } from "../protocol/messages.js";

/**
 * The contract between the local store and the tab coordinator above it: other tabs of the same
 * browser, space and user (each its own client id) share their pending mutations, and the store
 * shows them over its base, re-run with its own in timestamp order, until the server's
 * `client_id_to_last_mutation_id` says they are applied. Peer mutations are never pushed or
 * persisted by this store: their own tab (or the one that adopts its queue) does that.
 */
export interface PeerTarget {
  /** Fixed once `ready` resolves. */
  readonly clientId: string;
  readonly ready: Promise<void>;
  /** This store's own pending mutations with id > `afterId` (default 0), in id order. */
  localPendingMutations(afterId?: number): WireMutation[];
  /** Number of this store's own pending mutations. */
  pendingCount(): number;
  /** Calls `listener` with the new count whenever the number of own pending mutations changes. */
  onPendingCountChange(listener: (count: number) => void): () => void;
  /** Highest own mutation id the server acknowledged. */
  lastAcknowledgedId(): number;
  /** Version of the server state the base reflects. */
  baseVersion(): number;
  /** Calls `listener` when an own mutation is recorded, or an unsent one is replaced by coalescing. */
  onLocalMutation(listener: (mutation: WireMutation) => void): () => void;
  /**
   * Shows mutations of tab `clientId`: adds them, or replaces those with the same id (coalesced);
   * with `replace`, they become that tab's whole list. Ids the server already acknowledged for
   * that client are ignored.
   */
  applyPeerMutations(clientId: string, mutations: readonly WireMutation[], replace: boolean): Promise<void>;
  /**
   * Tab `clientId` learnt that the server applied its mutations up to `lastMutationId`, in its
   * base at `version`: drop them once this store's base reaches `version` (it then shows their
   * effect). Covers updates of this store that did not list that client.
   */
  applyPeerAck(clientId: string, lastMutationId: number, version: number): Promise<void>;
}
