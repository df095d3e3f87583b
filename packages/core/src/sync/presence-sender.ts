import type { PresenceMessage } from "../protocol/messages.js";
import type { PresenceLink } from "../presence/presence-link.js";
import type { SyncTimers, TimerHandle } from "./timers.js";

/** Options of `PresenceSender`. */
export interface PresenceSenderOptions {
  readonly link: PresenceLink;
  readonly timers: SyncTimers;
  /** Sends one presence frame on the current connection. */
  readonly send: (message: PresenceMessage) => void;
  /** Least time between two presence frames. @default 16 */
  readonly intervalMs?: number | undefined;
}

/**
 * Sends this client's presence on the current connection: all of it at once when a connection
 * becomes ready (the server forgets presence with the connection), then each change — the
 * first at once, later ones at most once per `intervalMs`, the latest state winning — so a
 * cursor streams at the frame rate whatever the pointer-event rate.
 */
export class PresenceSender {
  #active = false;
  #dirty = false;
  #lastSentAt = Number.NEGATIVE_INFINITY;
  #timer: TimerHandle | undefined;
  /** Whether this connection was told a state (so a later clear must be sent). */
  #announced = false;
  readonly #unsubscribe: () => void;

  constructor(private readonly options: PresenceSenderOptions) {
    this.#unsubscribe = options.link.onOwnChange(() => this.#changed());
  }

  /** A connection is ready: announce the own state, if any. */
  start(): void {
    this.#active = true;
    this.#announced = false;
    this.#dirty = this.options.link.ownState() !== null;
    this.#flush();
  }

  /** The connection is gone: nothing is sent until `start`. */
  stop(): void {
    this.#active = false;
    this.#cancel();
  }

  /** Stops listening to the link for good. */
  dispose(): void {
    this.stop();
    this.#unsubscribe();
  }

  #changed(): void {
    this.#dirty = true;
    if (!this.#active || this.#timer !== undefined) return;
    const wait = this.#lastSentAt + (this.options.intervalMs ?? 16) - this.options.timers.now();
    if (wait <= 0) this.#flush();
    else this.#timer = this.options.timers.setTimeout(() => this.#flush(), wait);
  }

  #flush(): void {
    this.#cancel();
    if (!this.#active || !this.#dirty) return;
    this.#dirty = false;
    const state = this.options.link.ownState();
    if (state === null && !this.#announced) return;
    this.#announced = state !== null;
    this.#lastSentAt = this.options.timers.now();
    this.options.send({ type: "presence", state });
  }

  #cancel(): void {
    if (this.#timer !== undefined) this.options.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
