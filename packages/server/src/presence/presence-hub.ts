import { validatePresence } from "@synced-store/core/internal";
import type { z } from "zod";
import type { Limits } from "../engine/limits.js";
import type { WireError } from "../engine/wire-error.js";
import type { Logger } from "../logger.js";
import { utf8Length } from "../util/storable-text.js";
import {
  presenceRecord,
  type PresenceOwner,
  type PresenceRecord,
  type PresenceViewer,
} from "./presence-record.js";
import { SpacePresence, type PresenceVisibility } from "./space-presence.js";

/** Timing of presence; every field has a default (see `SyncServerOptions.presence`). */
export interface PresenceOptions {
  /** Least time between two presence frames to one connection, in ms (one frame at 30 fps). @default 33 */
  readonly intervalMs?: number;
  /** An HTTP client's presence ends this long after its last request, in ms. @default 10000 */
  readonly httpLeaseMs?: number;
  /** With a bus: how often this process tells the others it is alive, in ms. @default 3000 */
  readonly heartbeatMs?: number;
  /**
   * With a bus: the presence of a process not heard from for this long (killed, cut off) is
   * removed everywhere, in ms. @default 10000
   */
  readonly leaseMs?: number;
}

/** Options of `PresenceHub`. */
export interface PresenceHubOptions extends PresenceOptions {
  readonly limits: Limits;
  readonly logger: Logger;
  readonly visible: PresenceVisibility | undefined;
  /** The presence schema of a space's store (undefined: the store has no presence). */
  readonly schemaOf: (spaceId: string) => z.ZodType | undefined;
  /** Tells the other processes what changed of this process's records. @default nobody to tell */
  readonly onLocalChanges?: (
    spaceId: string,
    set: readonly PresenceRecord[],
    removed: readonly string[],
  ) => void;
  /** Every sweep (about a quarter of the shortest lease): expire other processes gone silent. */
  readonly onSweep?: () => void;
  /** @default performance.now */
  readonly now?: () => number;
}

/**
 * Every space's presence in this process: connections set and clear their own, HTTP clients hold
 * theirs on a lease their requests renew, and other processes' records arrive over the bus.
 * Presence is never stored and never advances a space's version.
 */
export class PresenceHub {
  readonly #spaces = new Map<string, SpacePresence>();
  readonly #sweep: ReturnType<typeof setInterval>;
  readonly #now: () => number;
  readonly httpLeaseMs: number;
  readonly #env;

  constructor(private readonly options: PresenceHubOptions) {
    this.#now = options.now ?? (() => performance.now());
    this.httpLeaseMs = options.httpLeaseMs ?? 10_000;
    this.#env = {
      intervalMs: options.intervalMs ?? 33,
      maxEntries: options.limits.maxPresencePerSpace,
      visible: options.visible,
      logger: options.logger,
      now: this.#now,
      onLocalChanges: options.onLocalChanges ?? (() => undefined),
    };
    const shortest = Math.min(this.httpLeaseMs, options.leaseMs ?? 10_000);
    this.#sweep = setInterval(() => this.sweep(), Math.max(50, Math.min(1000, shortest / 4)));
    // Node would otherwise stay up for this timer alone; other hosts have no unref.
    (this.#sweep as { unref?: () => void }).unref?.();
  }

  /** Shows `viewer` the space's presence: a full snapshot now, then the changes. */
  join(spaceId: string, viewer: PresenceViewer): void {
    this.#space(spaceId).join(viewer);
  }

  /** `viewer` is gone; ends its record when `owner` holds it (an HTTP lease outlives the request). */
  leave(spaceId: string, viewer: PresenceViewer, owner?: PresenceOwner): void {
    const space = this.#spaces.get(spaceId);
    if (space === undefined) return;
    space.leave(viewer);
    if (owner !== undefined) space.remove(viewer.clientId, owner);
    this.#dropIfIdle(space);
  }

  /**
   * Sets (or with `null` ends) a client's presence for `owner`. Returns the wire error when the
   * state is refused; the previous state then stays.
   */
  set(
    spaceId: string,
    who: { readonly userId: string; readonly clientId: string },
    owner: PresenceOwner,
    state: unknown,
  ): WireError | undefined {
    const space = this.#space(spaceId);
    if (state === null) {
      space.remove(who.clientId, owner);
      return undefined;
    }
    let parsed: unknown;
    try {
      parsed = validatePresence(this.options.schemaOf(spaceId), state);
    } catch (error) {
      return { code: "invalid_presence", message: error instanceof Error ? error.message : String(error) };
    }
    const record = presenceRecord(who.clientId, who.userId, parsed, owner);
    const max = this.options.limits.maxPresenceBytes;
    // The entry's JSON bounds the state's from above; count the state's own bytes only when it may matter.
    if (record.json.length * 3 > max && utf8Length(JSON.stringify(parsed)) > max) {
      return { code: "presence_too_large", message: `Presence is limited to ${max} bytes of JSON` };
    }
    if (space.put(record) === "full") {
      const most = this.options.limits.maxPresencePerSpace;
      return {
        code: "presence_space_full",
        message: `A space holds the presence of at most ${most} clients`,
      };
    }
    return undefined;
  }

  /** An HTTP client polled: its leased presence lasts another `httpLeaseMs`. */
  renew(spaceId: string, clientId: string): void {
    const owner = this.#spaces.get(spaceId)?.records.get(clientId)?.owner;
    if (owner?.kind === "lease") owner.expiresAt = this.leaseExpiry();
  }

  /** When a lease taken now runs out. */
  leaseExpiry(): number {
    return this.#now() + this.httpLeaseMs;
  }

  /** Applies another process's changes to `spaceId`: `[clientId, userId, state]` sets, `[clientId]` ends. */
  applyRemote(origin: string, spaceId: string, items: readonly RemoteItem[]): void {
    const space = this.#space(spaceId);
    const owner: PresenceOwner = { kind: "remote", origin };
    for (const item of items) {
      if (item.length === 1) space.remove(item[0], owner);
      else if (space.put(presenceRecord(item[0], item[1], item[2], owner)) === "full") {
        this.options.logger.warn("presence from another process dropped: space full", { space: spaceId });
      }
    }
    this.#dropIfIdle(space);
  }

  /** Ends the records of `origin`: all, or those `only` names (`"{spaceId}\0{clientId}"`). */
  dropRemote(origin: string, only?: ReadonlySet<string>): void {
    for (const space of [...this.#spaces.values()]) {
      space.removeWhere(
        (r) =>
          r.owner.kind === "remote" &&
          r.owner.origin === origin &&
          (only === undefined || only.has(`${space.spaceId}\u0000${r.clientId}`)),
      );
      this.#dropIfIdle(space);
    }
  }

  /** The records of `origin`, as `"{spaceId}\0{clientId}"`. */
  remoteKeys(origin: string): Set<string> {
    const keys = new Set<string>();
    for (const space of this.#spaces.values()) {
      for (const r of space.records.values()) {
        if (r.owner.kind === "remote" && r.owner.origin === origin)
          keys.add(`${space.spaceId}\u0000${r.clientId}`);
      }
    }
    return keys;
  }

  /** This process's own records, by space (to announce them all to the other processes). */
  *localRecords(): Iterable<[string, PresenceRecord]> {
    for (const space of this.#spaces.values()) {
      for (const r of space.records.values()) if (r.owner.kind !== "remote") yield [space.spaceId, r];
    }
  }

  /** Ends HTTP leases that ran out, and lets the bus side expire silent processes. */
  sweep(): void {
    const now = this.#now();
    for (const space of [...this.#spaces.values()]) {
      space.removeWhere((r) => r.owner.kind === "lease" && r.owner.expiresAt <= now);
      this.#dropIfIdle(space);
    }
    this.options.onSweep?.();
  }

  /** Sends every space's pending changes now (tests, shutdown). */
  flush(): void {
    for (const space of this.#spaces.values()) space.flush();
  }

  /** Stops the timers. */
  close(): void {
    clearInterval(this.#sweep);
    for (const space of this.#spaces.values()) space.close();
  }

  #space(spaceId: string): SpacePresence {
    let space = this.#spaces.get(spaceId);
    if (space === undefined) {
      space = new SpacePresence(spaceId, this.#env);
      this.#spaces.set(spaceId, space);
    }
    return space;
  }

  #dropIfIdle(space: SpacePresence): void {
    if (space.idle) this.#spaces.delete(space.spaceId);
  }
}

/** Another process's change to one client: `[clientId, userId, state]` sets it, `[clientId]` ends it. */
export type RemoteItem = readonly [string, string, unknown] | readonly [string];
