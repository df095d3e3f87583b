/** Longest delay `setTimeout` takes (about 24.8 days); a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What happens as a connection's credential nears and reaches its expiry. */
export interface CredentialExpiryHandlers {
  /** Ask the client for a fresh credential (`auth_refresh`). */
  readonly refreshDue: (expiresAt: number) => void;
  /** The credential expired with no fresh one: close the connection. */
  readonly expired: () => void;
}

/**
 * The two timers of one connection's credential: the refresh request `leadMs` before the expiry
 * (or halfway there for a credential that lives less than twice that), and the close at it. A
 * fresh credential starts them over; `cancel` stops them when the connection ends.
 */
export class CredentialExpiry {
  #timers: ReturnType<typeof setTimeout>[] = [];

  constructor(
    private readonly clock: () => number,
    private readonly leadMs: number,
    private readonly handlers: CredentialExpiryHandlers,
  ) {}

  /** Starts over for a credential expiring at `expiresAt` (ms since the epoch), or never. */
  schedule(expiresAt: number | undefined, options: { refreshNowWithinLead?: boolean } = {}): void {
    this.cancel();
    if (expiresAt === undefined) return;
    const now = this.clock();
    const left = expiresAt - now;
    const lead = Math.min(this.leadMs, left / 2);
    if (options.refreshNowWithinLead === true && left <= this.leadMs) this.handlers.refreshDue(expiresAt);
    else this.#at(now + left - lead, () => this.handlers.refreshDue(expiresAt));
    this.#at(expiresAt, () => this.handlers.expired());
  }

  /** Stops both timers. */
  cancel(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers = [];
  }

  /** Runs `fn` at `time` on `clock`, in hops a timer can take. */
  #at(time: number, fn: () => void): void {
    const wait = time - this.clock();
    const timer = setTimeout(
      () => {
        this.#timers = this.#timers.filter((t) => t !== timer);
        if (wait > MAX_TIMER_MS) this.#at(time, fn);
        else fn();
      },
      Math.max(0, Math.min(wait, MAX_TIMER_MS)),
    );
    this.#timers.push(timer);
  }
}
