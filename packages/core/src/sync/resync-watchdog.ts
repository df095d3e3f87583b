import type { SyncTarget } from "../store/server-update.js";
import type { SyncTimers, TimerHandle } from "./timers.js";

/** Options of `ResyncWatchdog`. */
export interface ResyncWatchdogOptions {
  readonly target: SyncTarget;
  readonly timers: SyncTimers;
  readonly intervalMs: number;
  /** Whether a pull is awaiting its response. */
  readonly pullInFlight: () => boolean;
  /** Re-push from the acknowledged id and pull again. */
  readonly resync: (acknowledgedId: number) => void;
}

/**
 * While a connection is ready, checks every `intervalMs` for a stalled exchange — pending
 * mutations whose acknowledgement made no progress since the previous check, or a pull still
 * unanswered — and then resyncs. Frames do not vanish inside one TCP connection, but they do
 * behind misbehaving proxies, and a lost push or poke would otherwise leave the client waiting.
 */
export class ResyncWatchdog {
  private timer: TimerHandle | undefined;
  private ackAtLastCheck = -1;

  constructor(private readonly options: ResyncWatchdogOptions) {}

  start(): void {
    this.stop();
    this.ackAtLastCheck = -1;
    this.schedule();
  }

  stop(): void {
    if (this.timer !== undefined) this.options.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const { target, timers, intervalMs } = this.options;
    this.timer = timers.setTimeout(() => {
      const acked = target.lastAcknowledgedId();
      const stalledPush = target.pendingCount() > 0 && acked === this.ackAtLastCheck;
      if (stalledPush || this.options.pullInFlight()) this.options.resync(acked);
      this.ackAtLastCheck = acked;
      this.schedule();
    }, intervalMs);
  }
}
