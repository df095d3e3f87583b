import type { ConnectionInfo } from "../connection/hooks.js";
import type { Logger } from "../logger.js";
import {
  isLocal,
  sameOwner,
  type PresenceOwner,
  type PresenceRecord,
  type PresenceViewer,
} from "./presence-record.js";

/** Decides whether `viewer` may see `subject`'s presence (the `presenceVisible` hook). */
export type PresenceVisibility = (subject: PresenceParty, viewer: PresenceParty) => boolean;

/** Who a presence belongs to, or who would see it. */
export type PresenceParty = Pick<ConnectionInfo, "userId" | "clientId" | "spaceId">;

/** What a space's presence needs from around it. */
export interface SpacePresenceEnvironment {
  /** Least time between two presence frames to one connection, in ms. */
  readonly intervalMs: number;
  /** Most records kept in the space. */
  readonly maxEntries: number;
  readonly visible: PresenceVisibility | undefined;
  readonly logger: Logger;
  readonly now: () => number;
  /** After a flush: what changed of this process's own records, to tell the other processes. */
  readonly onLocalChanges: (
    spaceId: string,
    set: readonly PresenceRecord[],
    removed: readonly string[],
  ) => void;
}

/** What `put` did. */
export type PutResult = "changed" | "unchanged" | "ignored" | "full";

interface Removal {
  readonly userId: string;
  readonly local: boolean;
}

/**
 * The presence of one space: a record per client, the connections that see them, and the
 * changes waiting to go out. Changes are coalesced (the latest state of each client wins) and
 * flushed at once when the space was quiet, then at most once per `intervalMs`; each connection
 * gets one frame per flush with everyone's changes but its own.
 */
export class SpacePresence {
  readonly records = new Map<string, PresenceRecord>();
  readonly viewers = new Set<PresenceViewer>();
  readonly #changed = new Set<string>();
  readonly #removed = new Map<string, Removal>();
  /** With a visibility hook: the client ids each viewer was shown, so hiding and removals stay exact. */
  readonly #shown = new Map<PresenceViewer, Set<string>>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastFlush = Number.NEGATIVE_INFINITY;

  constructor(
    readonly spaceId: string,
    private readonly env: SpacePresenceEnvironment,
  ) {}

  /** Nothing held, nobody watching, nothing to send: the space's presence can be dropped. */
  get idle(): boolean {
    return this.records.size === 0 && this.viewers.size === 0 && this.#timer === undefined;
  }

  /** Starts showing the space's presence to `viewer`, with a full snapshot now. */
  join(viewer: PresenceViewer): void {
    this.viewers.add(viewer);
    const shown = this.env.visible === undefined ? undefined : new Set<string>();
    if (shown !== undefined) this.#shown.set(viewer, shown);
    const set: string[] = [];
    for (const record of this.records.values()) {
      if (record.clientId === viewer.clientId || !this.#canSee(record, viewer)) continue;
      set.push(record.json);
      shown?.add(record.clientId);
    }
    viewer.sendFrame(frame(true, set, []));
  }

  /** Stops showing presence to `viewer` (its own record is ended by its owner, see `remove`). */
  leave(viewer: PresenceViewer): void {
    this.viewers.delete(viewer);
    this.#shown.delete(viewer);
  }

  /**
   * Stores `record` unless the space is full. Another process's record never replaces one held by
   * a connection here: this process knows best whether its own connection is live.
   */
  put(record: PresenceRecord): PutResult {
    const known = this.records.get(record.clientId);
    if (known === undefined && this.records.size >= this.env.maxEntries) return "full";
    if (record.owner.kind === "remote" && known?.owner.kind === "connection") return "ignored";
    this.records.set(record.clientId, record);
    this.#removed.delete(record.clientId);
    if (known !== undefined && known.json === record.json) return "unchanged";
    this.#change(record.clientId);
    return "changed";
  }

  /** Ends `clientId`'s record if `owner` holds it. */
  remove(clientId: string, owner: PresenceOwner): boolean {
    const record = this.records.get(clientId);
    if (record === undefined || !sameOwner(record, owner)) return false;
    this.#delete(record);
    return true;
  }

  /** Ends every record `drop` picks (an HTTP lease that ran out, a process gone silent). */
  removeWhere(drop: (record: PresenceRecord) => boolean): void {
    for (const record of [...this.records.values()]) if (drop(record)) this.#delete(record);
  }

  /** Sends what changed since the last flush. */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#lastFlush = this.env.now();
    if (this.#changed.size === 0) return;
    const set: PresenceRecord[] = [];
    const removed: (Removal & { clientId: string })[] = [];
    for (const clientId of this.#changed) {
      const record = this.records.get(clientId);
      if (record !== undefined) set.push(record);
      else {
        const gone = this.#removed.get(clientId);
        if (gone !== undefined) removed.push({ clientId, ...gone });
      }
    }
    const touched = new Set(this.#changed);
    this.#changed.clear();
    this.#removed.clear();
    if (this.env.visible === undefined) this.#fanOut(set, removed, touched);
    else this.#fanOutVisible(set, removed);
    const localSet = set.filter(isLocal);
    const localRemoved = removed.filter((r) => r.local).map((r) => r.clientId);
    if (localSet.length > 0 || localRemoved.length > 0) {
      this.env.onLocalChanges(this.spaceId, localSet, localRemoved);
    }
  }

  /** Stops the flush timer (the server is closing). */
  close(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Everyone sees everything: one frame for every viewer not among the changes, one each for the rest. */
  #fanOut(set: PresenceRecord[], removed: { clientId: string }[], touched: Set<string>): void {
    let shared: string | undefined;
    for (const viewer of this.viewers) {
      const own = viewer.clientId;
      if (!touched.has(own)) {
        shared ??= frame(
          false,
          set.map((r) => r.json),
          removed.map((r) => JSON.stringify(r.clientId)),
        );
        viewer.sendFrame(shared);
        continue;
      }
      const others = set.filter((r) => r.clientId !== own).map((r) => r.json);
      const gone = removed.filter((r) => r.clientId !== own).map((r) => JSON.stringify(r.clientId));
      if (others.length > 0 || gone.length > 0) viewer.sendFrame(frame(false, others, gone));
    }
  }

  /** Each viewer sees what the hook allows: a record it may no longer see is removed for it. */
  #fanOutVisible(set: PresenceRecord[], removed: { clientId: string }[]): void {
    for (const viewer of this.viewers) {
      const shown = this.#shown.get(viewer);
      if (shown === undefined) continue;
      const others: string[] = [];
      const gone: string[] = [];
      for (const record of set) {
        if (record.clientId === viewer.clientId) continue;
        if (this.#canSee(record, viewer)) {
          others.push(record.json);
          shown.add(record.clientId);
        } else if (shown.delete(record.clientId)) gone.push(JSON.stringify(record.clientId));
      }
      for (const { clientId } of removed) if (shown.delete(clientId)) gone.push(JSON.stringify(clientId));
      if (others.length > 0 || gone.length > 0) viewer.sendFrame(frame(false, others, gone));
    }
  }

  #canSee(record: PresenceRecord, viewer: PresenceViewer): boolean {
    const visible = this.env.visible;
    if (visible === undefined) return true;
    try {
      return visible(
        { userId: record.userId, clientId: record.clientId, spaceId: this.spaceId },
        { userId: viewer.userId, clientId: viewer.clientId, spaceId: this.spaceId },
      );
    } catch (error) {
      // Fail closed: a broken rule hides presence rather than showing it to the wrong people.
      this.env.logger.error("presenceVisible hook failed", { space: this.spaceId, error: String(error) });
      return false;
    }
  }

  #delete(record: PresenceRecord): void {
    this.records.delete(record.clientId);
    this.#removed.set(record.clientId, { userId: record.userId, local: isLocal(record) });
    this.#change(record.clientId);
  }

  #change(clientId: string): void {
    this.#changed.add(clientId);
    if (this.#timer !== undefined) return;
    // Leading edge: the first change after a quiet interval goes out on the next turn.
    const wait = Math.max(0, this.#lastFlush + this.env.intervalMs - this.env.now());
    this.#timer = setTimeout(() => this.flush(), wait);
    (this.#timer as { unref?: () => void }).unref?.();
  }
}

/** A server `presence` message from pre-encoded entries and JSON-encoded client ids. */
function frame(full: boolean, set: readonly string[], removed: readonly string[]): string {
  return `{"type":"presence","full":${full},"set":[${set.join(",")}],"removed":[${removed.join(",")}]}`;
}
