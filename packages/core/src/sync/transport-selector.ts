import type { CloseInfo, Transport } from "./transport.js";

/**
 * Picks the transport for the next connection: the main one, or the fallback after
 * `fallbackAfter` main connections in a row that never opened. When the fallback fails too, the
 * main transport gets one more try before falling back again.
 */
export class TransportSelector {
  private openFailures = 0;

  constructor(
    private readonly main: Transport,
    private readonly fallback: Transport | undefined,
    private readonly fallbackAfter: number,
  ) {}

  /** The transport to open next. */
  next(): Transport {
    return this.fallback !== undefined && this.openFailures >= this.fallbackAfter ? this.fallback : this.main;
  }

  /** Whether `transport` is the fallback (and not also the main one). */
  isFallback(transport: Transport): boolean {
    return transport === this.fallback && transport !== this.main;
  }

  /**
   * Forgets the failed opens: the next connection uses the main transport. For when the network
   * comes back, since opens that failed while it was down say nothing about the main transport.
   */
  reset(): void {
    this.openFailures = 0;
  }

  /** A connection of `transport` completed its handshake. */
  succeeded(transport: Transport): void {
    if (transport === this.main) this.openFailures = 0;
  }

  /** A connection of `transport` ended. */
  closed(transport: Transport, info: CloseInfo): void {
    if (transport === this.main) {
      if (!info.opened) this.openFailures++;
    } else {
      this.openFailures = Math.max(0, this.fallbackAfter - 1);
    }
  }
}
