import type { PushMessage } from "../protocol/messages.js";
import type { SyncTarget } from "../store/server-update.js";
import type { SyncTimers } from "./timers.js";

/** Options of `PushScheduler`. */
export interface PushSchedulerOptions {
  readonly target: SyncTarget;
  readonly timers: SyncTimers;
  /** Sends one push frame on the current connection. */
  readonly send: (message: PushMessage) => void;
  /** @default 0 */
  readonly pushDelayMs?: number | undefined;
  /** @default 10 */
  readonly minPushIntervalMs?: number | undefined;
  /** @default 100 */
  readonly maxMutationsPerPush?: number | undefined;
  /** Called after each flush that sent something. */
  readonly onPushed?: () => void;
}

/**
 * Sends pending mutations in id order, in batches, on one connection at a time. It remembers the
 * highest id sent on the current connection, so each mutation goes out once per connection —
 * and again after a reconnect or `rewind`, since delivery is at least once and the server skips
 * duplicates.
 */
export class PushScheduler {
  private active = false;
  private sentUpTo = 0;
  private scheduled = false;
  private lastPushAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: PushSchedulerOptions) {}

  /** A connection is ready and the server processed mutations up to `acknowledgedId`: push the rest. */
  start(acknowledgedId: number): number {
    this.active = true;
    this.sentUpTo = acknowledgedId;
    return this.flush();
  }

  /** The connection is gone: nothing more is sent until `start`. */
  stop(): void {
    this.active = false;
    this.scheduled = false;
  }

  /** Re-sends everything after `id` (the server asked, or acknowledgements stalled). */
  rewind(id: number): number {
    this.sentUpTo = id;
    return this.flush();
  }

  /**
   * Schedules a push of what is pending: after `pushDelayMs`, and no sooner than
   * `minPushIntervalMs` after the previous push, so mutations made meanwhile share one frame and a
   * fast writer stays under the server's per-connection message rate.
   */
  schedule(): void {
    if (this.scheduled || !this.active) return;
    this.scheduled = true;
    const { timers, pushDelayMs = 0, minPushIntervalMs = 10 } = this.options;
    const delay = Math.max(pushDelayMs, minPushIntervalMs - (timers.now() - this.lastPushAt));
    // With no delay, mutations made in the same task still share one frame.
    if (delay <= 0) queueMicrotask(() => this.flush());
    else timers.setTimeout(() => this.flush(), delay);
  }

  /** Sends what is pending after the last id sent; returns how many mutations went out. */
  flush(): number {
    this.scheduled = false;
    if (!this.active) return 0;
    const { target, timers, send } = this.options;
    const mutations = target.pendingMutations(this.sentUpTo);
    const max = Math.max(1, this.options.maxMutationsPerPush ?? 100);
    if (mutations.length > 0) this.lastPushAt = timers.now();
    for (let i = 0; i < mutations.length; i += max) {
      const batch = mutations.slice(i, i + max);
      send({ type: "push", client_id: target.clientId, mutations: batch });
      this.sentUpTo = batch[batch.length - 1]?.id ?? this.sentUpTo;
    }
    if (mutations.length > 0) this.options.onPushed?.();
    return mutations.length;
  }
}
