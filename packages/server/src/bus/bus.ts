/**
 * The bus between server processes that serve the same spaces. After a process commits a batch
 * it publishes the space's new version; every process (itself included) hears it and pokes its
 * own clients of that space from storage. The bus carries only `(spaceId, version)`, never data,
 * so a lost, late or duplicated notice costs a poke, never correctness.
 *
 * Notices can be missed while a subscriber's connection is down. The bus then calls `onResync`
 * once it is back, and the subscriber re-reads the current version of every space it serves
 * (see `VersionWatcher`), so it catches up from versions instead of trusting the bus.
 *
 * The bus also carries presence between processes (`publishPresence`, on a channel of its own):
 * ephemeral and small, in order per publisher, lost while a connection is down (the presence
 * layer re-announces everything after `onResync`; see `presence/presence-relay.ts`).
 */

/** A space reached `version`; `origin` is the `id` of the bus instance that published it. */
export interface VersionNotice {
  readonly spaceId: string;
  readonly version: number;
  readonly origin: string;
}

/** What a subscriber hears. */
export interface BusHandlers {
  /** A process committed `notice.version` of `notice.spaceId`. May repeat or arrive out of order. */
  onVersion(notice: VersionNotice): void;
  /**
   * The bus reconnected after a gap: notices may have been missed. Re-read the current version of
   * every space served.
   */
  onResync(): void;
  /** A process published presence (an opaque payload of the presence layer). Includes our own. */
  onPresence?(payload: string): void;
}

/** A publish/subscribe channel of space versions shared by every server process. */
export interface Bus {
  /** Unique per bus instance (one per process); stamped on the notices it publishes. */
  readonly id: string;
  /**
   * Announces that `spaceId` committed `version`. Resolves once the notice is handed to the bus;
   * rejects when the bus is unreachable (subscribers then catch up through `onResync` or the
   * next notice of the space).
   */
  publish(spaceId: string, version: number): Promise<void>;
  /**
   * Sends a presence payload to every subscriber (the publisher included), on a channel separate
   * from versions. Payloads stay under `PRESENCE_PAYLOAD_BYTES`. Delivered in the order one bus
   * instance published them, at most once; rejects when the bus is unreachable.
   */
  publishPresence(payload: string): Promise<void>;
  /** Starts delivering notices to `handlers`; returns the function that stops it. */
  subscribe(handlers: BusHandlers): () => void;
  /** Stops delivery and releases connections. */
  close(): Promise<void>;
}

/**
 * Largest presence payload, in UTF-8 bytes: PostgreSQL refuses NOTIFY payloads of 8000 bytes or
 * more, and every bus keeps to the smallest limit so the presence layer chunks once.
 */
export const PRESENCE_PAYLOAD_BYTES = 7000;

/** Encodes a notice for text channels (PostgreSQL NOTIFY payloads, Redis messages). */
export function encodeNotice(notice: VersionNotice): string {
  return JSON.stringify([notice.spaceId, notice.version, notice.origin]);
}

/** Decodes `encodeNotice`'s output; undefined for anything else, which subscribers ignore. */
export function decodeNotice(payload: string): VersionNotice | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
  const [spaceId, version, origin] = parsed as unknown[];
  if (typeof spaceId !== "string" || typeof origin !== "string") return undefined;
  if (typeof version !== "number" || !Number.isSafeInteger(version) || version < 0) return undefined;
  return { spaceId, version, origin };
}

/** Calls every handler set, isolating each from the others' exceptions. */
export class BusSubscribers {
  readonly #handlers = new Set<BusHandlers>();

  constructor(private readonly onError: (error: unknown) => void) {}

  add(handlers: BusHandlers): () => void {
    // Wrap so that subscribing the same object twice yields two independent subscriptions.
    const entry: BusHandlers = {
      onVersion: (n) => handlers.onVersion(n),
      onResync: () => handlers.onResync(),
      onPresence: (payload) => handlers.onPresence?.(payload),
    };
    this.#handlers.add(entry);
    return () => this.#handlers.delete(entry);
  }

  version(notice: VersionNotice): void {
    for (const h of [...this.#handlers]) this.#call(() => h.onVersion(notice));
  }

  presence(payload: string): void {
    for (const h of [...this.#handlers]) this.#call(() => h.onPresence?.(payload));
  }

  resync(): void {
    for (const h of [...this.#handlers]) this.#call(() => h.onResync());
  }

  clear(): void {
    this.#handlers.clear();
  }

  #call(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.onError(error);
    }
  }
}
