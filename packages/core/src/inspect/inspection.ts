import type { SubscriptionDetail } from "../subscriptions/subscription-manager.js";
import type { SyncStatus } from "../sync/status.js";
import type { ConnectionEvent } from "../sync/sync-tap.js";

export type { SubscriptionDetail } from "../subscriptions/subscription-manager.js";
export type { ConnectionEvent } from "../sync/sync-tap.js";

/** A mutation not yet acknowledged by the server, as the inspector shows it. */
export interface InspectedMutation {
  /** The client (tab) that made it; `ownTab` tells whether that is this store. */
  readonly clientId: string;
  readonly ownTab: boolean;
  readonly id: number;
  readonly name: string;
  readonly args: unknown;
  /** When it was made (the store's clock), and how long ago at the time of the snapshot. */
  readonly timestamp: number;
  readonly ageMs: number;
  /** Sent to the server at least once; null for another tab's mutation (that tab pushes it). */
  readonly pushed: boolean | null;
}

/** A mutation of this tab the server has processed: acknowledged, or rejected with its reason. */
export interface SettledMutation {
  readonly id: number;
  readonly name: string;
  /** Its arguments (undefined for a rejection that arrived after its acknowledgement was forgotten). */
  readonly args: unknown;
  readonly outcome: "acknowledged" | "rejected";
  /** The rejection's code and the server's message. */
  readonly code?: string;
  readonly message?: string;
  /** When it was settled (inspector clock), and at which base version. */
  readonly at: number;
  readonly version: number;
}

/** One entry of the network log: a frame, or a step of the connection loop. */
export type NetworkEntry =
  | {
      readonly kind: "frame";
      /** Increasing per store, so a view can tell entries apart and pause on one. */
      readonly seq: number;
      readonly at: number;
      readonly direction: "in" | "out";
      /** The message `type` (`push`, `poke`, …). */
      readonly type: string;
      /** UTF-8 size of the whole frame. */
      readonly bytes: number;
      /** The versions or mutation ids it carries, e.g. `v4..v7 lmid 12` or `#3..#5`. */
      readonly summary: string;
      /** The frame's text, cut at `maxFrameChars`. */
      readonly text: string;
      readonly truncated: boolean;
    }
  | ({ readonly kind: "connection"; readonly seq: number; readonly at: number } & ConnectionEvent);

/** Everything `StoreInspector.snapshot` reports at one moment. */
export interface Inspection {
  readonly spaceId: string;
  readonly userId: string;
  readonly clientId: string;
  readonly historyId: string | null;
  readonly baseVersion: number;
  readonly lastAcknowledgedId: number;
  readonly status: SyncStatus;
  /** Keys in the base, and keys pending mutations write over it. */
  readonly baseKeyCount: number;
  readonly pendingKeyCount: number;
  /** This tab's pending mutations in id order, then other tabs' ones shown here. */
  readonly pending: readonly InspectedMutation[];
  /** Recently acknowledged mutations, oldest first (bounded). */
  readonly acknowledged: readonly SettledMutation[];
  /** Recent rejections, oldest first (bounded, kept apart so acknowledgements never push them out). */
  readonly rejections: readonly SettledMutation[];
  readonly subscriptions: readonly SubscriptionDetail[];
  /** Frames and connection steps, oldest first (bounded in count and bytes). */
  readonly network: readonly NetworkEntry[];
  /** Inspector clock when recording started, and when this snapshot was taken. */
  readonly recordingSince: number;
  readonly at: number;
}

/** One key as the Data view shows it: what the server sent, and what pending mutations make of it. */
export interface DataEntry {
  readonly key: string;
  /** In the base (server state at `baseVersion`), and its value there. */
  readonly inBase: boolean;
  readonly base: unknown;
  /** What pending mutations do to it: nothing, set it, or delete it. */
  readonly pending: "none" | "set" | "deleted";
  /** What the app reads (base with pending applied); undefined when absent. */
  readonly value: unknown;
}

/**
 * A live look inside one store, for devtools: `snapshot()` (same object until something changes,
 * so it suits `useSyncExternalStore`), `subscribe` for changes (throttled), and the keys.
 */
export interface StoreInspector {
  snapshot(): Inspection;
  /** Calls `listener` after changes, at most once per throttle interval; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
  /**
   * Keys of the base and of pending writes, sorted, optionally only those containing `search`.
   * The same array until the data or the search changes.
   */
  keys(search?: string): readonly string[];
  /** One key's base value, pending effect and visible value; undefined when the store never had it. */
  entry(key: string): DataEntry | undefined;
  /** Forgets the network log (acknowledgements and rejections stay). */
  clearNetwork(): void;
}
