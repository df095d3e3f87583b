import type { SyncTimers, TimerHandle } from "./timers.js";

/** Options of `Heartbeat`. */
export interface HeartbeatOptions {
  readonly timers: SyncTimers;
  /** Time between pings. */
  readonly intervalMs: number;
  /** How long after a ping the connection may stay silent before it counts as dead. */
  readonly timeoutMs: number;
  readonly sendPing: () => void;
  readonly onTimeout: () => void;
}

/**
 * Detects dead connections that the network never reports as closed (a sleeping laptop, a NAT that
 * dropped its mapping): pings every `intervalMs`; if no frame at all arrives within `timeoutMs`
 * of a ping, `onTimeout` fires once. Any frame counts as a sign of life, so a busy connection
 * never times out on a pong stuck behind a large poke.
 */
export class Heartbeat {
  private tick: TimerHandle | undefined;
  private deadline: TimerHandle | undefined;
  private running = false;

  constructor(private readonly options: HeartbeatOptions) {}

  start(): void {
    this.stop();
    this.running = true;
    this.scheduleTick();
  }

  /** Records a frame from the server. */
  alive(): void {
    if (this.deadline === undefined) return;
    this.options.timers.clearTimeout(this.deadline);
    this.deadline = undefined;
  }

  stop(): void {
    this.running = false;
    const { timers } = this.options;
    if (this.tick !== undefined) timers.clearTimeout(this.tick);
    if (this.deadline !== undefined) timers.clearTimeout(this.deadline);
    this.tick = this.deadline = undefined;
  }

  private scheduleTick(): void {
    const { timers, intervalMs, timeoutMs } = this.options;
    this.tick = timers.setTimeout(() => {
      if (!this.running) return;
      this.options.sendPing();
      if (this.deadline === undefined) {
        this.deadline = timers.setTimeout(() => {
          this.deadline = undefined;
          if (!this.running) return;
          this.stop();
          this.options.onTimeout();
        }, timeoutMs);
      }
      this.scheduleTick();
    }, intervalMs);
  }
}
