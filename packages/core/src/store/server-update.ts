import type { PatchOp, WireMutation } from "../protocol/messages.js";

/**
 * The contract between the local store (store layer) and the sync layer above it. The store
 * implements it; the sync client drives it. Kept here so the store never imports `sync/`.
 */

/** A state change received from the server (a poke or a pull response). */
export interface ServerUpdate {
  /** Oldest version whose changes `patches` include (`0` when patches start with `reset`). */
  readonly minIncludedVersion: number;
  readonly maxIncludedVersion: number;
  readonly patches: readonly PatchOp[];
  /** The server's last processed mutation id for this client, if the update carries it. */
  readonly lastMutationId?: number;
  /**
   * The server's last processed mutation id of every client of this user it reported
   * (`client_id_to_last_mutation_id`), so the store drops other tabs' mutations it shows.
   */
  readonly lastMutationIds?: Readonly<Record<string, number>>;
  /**
   * This client's mutations among those the update acknowledges that the server rejected. They
   * are recorded before the acknowledgement settles `confirmed`, so a rejected mutation never
   * resolves whatever became of its separate `mutation_error`.
   */
  readonly rejections?: readonly ServerRejection[];
}

/** A mutation of this client the server rejected. */
export interface ServerRejection {
  readonly mutationId: number;
  readonly code: string;
  readonly message: string;
}

/** What applying a `ServerUpdate` did. */
export type ApplyResult =
  /** Applied: base moved to `maxIncludedVersion`, acknowledged mutations settled, rest rebased. */
  | { readonly status: "applied" }
  /** Ignored: already at or past `maxIncludedVersion` (lastMutationId is still processed). */
  | { readonly status: "stale" }
  /** Not applied: the update starts after `baseVersion + 1`; the sync layer must pull. */
  | { readonly status: "gap"; readonly baseVersion: number };

/** The sync layer's view of a local store. */
export interface SyncTarget {
  readonly clientId: string;
  readonly userId: string;
  /** Resolves when persisted state has been loaded. */
  readonly ready: Promise<void>;
  /** Version of the server state the base reflects (0 = empty). */
  baseVersion(): number;
  /** History id of the server state the base came from (null before the first sync). */
  historyId(): string | null;
  /** Highest mutation id the server acknowledged (0 = none). */
  lastAcknowledgedId(): number;
  /** Pending mutations with id > `afterId`, in id order, ready for the wire. */
  pendingMutations(afterId: number): WireMutation[];
  /** Number of pending mutations. */
  pendingCount(): number;
  /** Applies a server update: patch base, settle acknowledged mutations, rebase the rest. */
  applyServerUpdate(update: ServerUpdate): Promise<ApplyResult>;
  /**
   * Records the server's rejection of one mutation. Its `confirmed` rejects, and the rejection
   * stream emits, when an update acknowledges its id.
   */
  recordRejection(mutationId: number, code: string, message: string): void;
  /**
   * The server's state comes from another history (database wiped or restored): adopt
   * `historyId`, and renumber pending mutations to follow `serverLastMutationId` so they are
   * re-pushed, not ignored. The next update (starting with `reset`) replaces the base.
   */
  adoptHistory(historyId: string, serverLastMutationId: number): Promise<void>;
  /** Calls `listener` whenever a new pending mutation is recorded. Returns an unsubscribe. */
  onPendingAdded(listener: () => void): () => void;
}
