import type { Storage } from "../storage/storage.js";
import type { Bus, VersionNotice } from "./bus.js";
import type { BusState } from "./bus-state.js";

/** Version reads a resync runs at once. */
const RESYNC_CONCURRENCY = 4;

/** Options of `VersionWatcher`. */
export interface VersionWatcherOptions {
  readonly bus: Bus;
  /** Where current versions are re-read after a bus gap: the truth, unlike the bus. */
  readonly storage: Storage;
  /** The spaces this process serves now (has connected clients of). */
  readonly spaces: () => Iterable<string>;
  /**
   * A served space is known to have reached `version`, beyond any version reported before:
   * catch up from storage and poke. Called at most once per (space, version), in increasing order.
   * When the returned promise rejects, the space's version is forgotten, so the next resync or
   * poll reports it again.
   */
  readonly onAdvance: (spaceId: string, version: number) => void | Promise<void>;
  /**
   * Also re-read the versions of served spaces this often, in ms, covering notices that never
   * reached the bus (a process that died between its commit and its publish, a failed publish).
   * 0 disables. @default 5000
   */
  readonly pollIntervalMs?: number;
  /** Failed publishes and version reads. @default ignore */
  readonly onError?: (error: unknown) => void;
}

/**
 * Turns bus notices into "space S has advanced" events for one server process, and catches up
 * from storage when the bus reports a gap (`onResync`) or on the poll interval. It remembers the
 * highest version reported per space, so a process's own notices, duplicates and stale notices
 * cost nothing.
 */
export class VersionWatcher {
  readonly #options: VersionWatcherOptions;
  readonly #known = new Map<string, number>();
  readonly #unsubscribe: () => void;
  readonly #poll: ReturnType<typeof setInterval> | undefined;
  #closed = false;
  #stats = { noticesHeard: 0, published: 0, resyncs: 0, errors: 0 };
  #lastError: BusState["lastError"] = null;
  #lastNoticeAt: number | null = null;

  constructor(options: VersionWatcherOptions) {
    this.#options = options;
    this.#unsubscribe = options.bus.subscribe({
      onVersion: (notice) => this.#onNotice(notice),
      onResync: () => void this.resync(),
    });
    const every = options.pollIntervalMs ?? 5000;
    if (every > 0) {
      this.#poll = setInterval(() => void this.resync(), every);
      this.#poll.unref?.();
    }
  }

  /**
   * Records that this process committed `version` of `spaceId` (it pokes its own clients itself)
   * and tells the other processes. A failed publish goes to `onError`: the others catch up on
   * their next resync or on the space's next notice.
   */
  committed(spaceId: string, version: number): void {
    this.#raise(spaceId, version);
    this.#stats.published++;
    this.#options.bus.publish(spaceId, version).catch((error: unknown) => this.#report(error));
  }

  /** Re-reads the current version of every served space and reports the ones that advanced. */
  async resync(): Promise<void> {
    this.#stats.resyncs++;
    const served = new Set(this.#options.spaces());
    // Forget spaces no longer served, so the map stays as small as the set of active spaces.
    for (const spaceId of this.#known.keys()) if (!served.has(spaceId)) this.#known.delete(spaceId);
    // A few reads at a time: a process serving thousands of spaces must not take every pooled
    // connection away from the pushes for one poll.
    const queue = [...served];
    const worker = async () => {
      for (let spaceId = queue.pop(); spaceId !== undefined; spaceId = queue.pop()) {
        try {
          const head = await this.#options.storage.read(spaceId, (r) => r.head());
          if (head && !this.#closed) this.#advance(spaceId, head.version);
        } catch (error) {
          this.#report(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(RESYNC_CONCURRENCY, queue.length) }, worker));
  }

  /** Counters of what the watcher saw, for operators. */
  state(): BusState {
    return {
      id: this.#options.bus.id,
      ...this.#stats,
      lastError: this.#lastError,
      lastNoticeAt: this.#lastNoticeAt,
      spacesTracked: this.#known.size,
    };
  }

  /** Stops listening and polling. */
  close(): void {
    this.#closed = true;
    this.#unsubscribe();
    if (this.#poll) clearInterval(this.#poll);
  }

  #onNotice(notice: VersionNotice): void {
    if (this.#closed) return;
    this.#stats.noticesHeard++;
    this.#lastNoticeAt = Date.now();
    this.#advance(notice.spaceId, notice.version);
  }

  #advance(spaceId: string, version: number): void {
    if (!this.#raise(spaceId, version)) return;
    const failed = (error: unknown) => {
      if (this.#known.get(spaceId) === version) this.#known.delete(spaceId);
      this.#report(error);
    };
    try {
      const done = this.#options.onAdvance(spaceId, version);
      if (done instanceof Promise) done.catch(failed);
    } catch (error) {
      failed(error);
    }
  }

  /** Stores `version` as known; false when it is not newer than what was known. */
  #raise(spaceId: string, version: number): boolean {
    if ((this.#known.get(spaceId) ?? -1) >= version) return false;
    this.#known.set(spaceId, version);
    return true;
  }

  #report(error: unknown): void {
    this.#stats.errors++;
    this.#lastError = { message: error instanceof Error ? error.message : String(error), at: Date.now() };
    (this.#options.onError ?? (() => undefined))(error);
  }
}
