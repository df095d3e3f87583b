import type { Bus } from "../bus/bus.js";
import type { Logger } from "../logger.js";
import type { PresenceRecord } from "./presence-record.js";
import type { PresenceHub, RemoteItem } from "./presence-hub.js";
import { encodeDelta, encodeFull, decodeRelayMessage, type FullItem } from "./relay-message.js";

/** Options of `PresenceRelay`. */
export interface PresenceRelayOptions {
  readonly bus: Bus;
  readonly hub: PresenceHub;
  readonly logger: Logger;
  /** @default 3000 */
  readonly heartbeatMs?: number;
  /** @default 10000 */
  readonly leaseMs?: number;
  /** @default performance.now */
  readonly now?: () => number;
}

/** Messages waiting for the bus; deltas of one space merge while they wait. */
type Outgoing =
  | { readonly kind: "raw"; readonly payload: string }
  | { readonly kind: "delta"; readonly spaceId: string; readonly items: Map<string, RemoteItem> }
  | { readonly kind: "full" };

/** Queued messages past which the queue is dropped for one full announcement (the bus is too slow). */
const MAX_OUTBOX = 256;

/**
 * Carries presence between the server processes sharing a bus. Each process publishes the
 * changes of its own records (in order, one publish at a time), says it is alive every
 * `heartbeatMs`, and announces all its records when asked. A process not heard from for `leaseMs`
 * — killed, or cut off from the bus — has its records removed here; so presence of a dead process
 * disappears everywhere within `leaseMs` (plus one sweep and one flush interval). After a gap in
 * its own subscription, a process asks everyone to announce again.
 */
export class PresenceRelay {
  readonly #heard = new Map<string, number>();
  readonly #asked = new Map<string, number>();
  /** Per origin, during its full announcement: its records not (yet) announced again. */
  readonly #stale = new Map<string, Set<string>>();
  readonly #outbox: Outgoing[] = [];
  readonly #heartbeat: ReturnType<typeof setInterval>;
  readonly #unsubscribe: () => void;
  readonly #now: () => number;
  readonly #leaseMs: number;
  #sending: Promise<void> | undefined;
  /** A publish failed: the others may have missed changes; announce everything again. */
  #dirty = false;
  #closed = false;

  constructor(private readonly options: PresenceRelayOptions) {
    this.#now = options.now ?? (() => performance.now());
    this.#leaseMs = options.leaseMs ?? 10_000;
    this.#unsubscribe = options.bus.subscribe({
      onVersion: () => undefined,
      onResync: () => this.#resync(),
      onPresence: (payload) => this.#receive(payload),
    });
    this.#heartbeat = setInterval(() => this.#beat(), options.heartbeatMs ?? 3000);
    this.#heartbeat.unref?.();
    // A new process knows nobody's presence yet.
    this.#raw(JSON.stringify(["sync", this.#id, null]));
  }

  get #id(): string {
    return this.options.bus.id;
  }

  /** Publishes what changed of this process's records in `spaceId`. */
  published(spaceId: string, set: readonly PresenceRecord[], removed: readonly string[]): void {
    const last = this.#outbox.at(-1);
    const delta =
      last?.kind === "delta" && last.spaceId === spaceId
        ? last
        : { kind: "delta" as const, spaceId, items: new Map<string, RemoteItem>() };
    for (const r of set) delta.items.set(r.clientId, [r.clientId, r.userId, r.state]);
    for (const clientId of removed) delta.items.set(clientId, [clientId]);
    if (delta !== last) this.#enqueue(delta);
  }

  /** Expires processes not heard from for `leaseMs` (called by the hub's sweep). */
  sweep(): void {
    const cutoff = this.#now() - this.#leaseMs;
    for (const [origin, at] of this.#heard) {
      if (at > cutoff) continue;
      this.#heard.delete(origin);
      this.#stale.delete(origin);
      this.options.logger.info("presence of a silent server process removed", { origin });
      this.options.hub.dropRemote(origin);
    }
  }

  /** Says goodbye (the others drop this process's records at once) and stops. */
  async close(): Promise<void> {
    if (this.#closed) return;
    clearInterval(this.#heartbeat);
    this.#unsubscribe();
    this.#outbox.length = 0;
    this.#raw(JSON.stringify(["gone", this.#id]));
    this.#closed = true;
    await this.#sending;
  }

  #beat(): void {
    if (this.#dirty) {
      this.#dirty = false;
      this.#enqueue({ kind: "full" });
    }
    this.#raw(JSON.stringify(["alive", this.#id]));
  }

  #resync(): void {
    this.#enqueue({ kind: "full" });
    this.#raw(JSON.stringify(["sync", this.#id, null]));
  }

  #receive(payload: string): void {
    const message = decodeRelayMessage(payload);
    if (message === undefined || message.origin === this.#id || this.#closed) return;
    const { origin } = message;
    const { hub } = this.options;
    if (message.kind === "gone") {
      this.#heard.delete(origin);
      this.#stale.delete(origin);
      hub.dropRemote(origin);
      return;
    }
    if (message.kind === "sync") {
      if (message.target === null || message.target === this.#id) this.#enqueue({ kind: "full" });
      return this.#hear(origin, false);
    }
    if (message.kind === "full") {
      if (message.first) this.#stale.set(origin, hub.remoteKeys(origin));
      const stale = this.#stale.get(origin);
      for (const [spaceId, items] of groupBySpace(message.items)) {
        hub.applyRemote(origin, spaceId, items);
        for (const [clientId] of items) stale?.delete(`${spaceId}\u0000${clientId}`);
      }
      if (message.last) {
        this.#stale.delete(origin);
        // What it no longer announces is gone (e.g. a removal lost while our subscription was down).
        if (stale !== undefined && stale.size > 0) hub.dropRemote(origin, stale);
      }
      return this.#hear(origin, false);
    }
    if (message.kind === "delta") hub.applyRemote(origin, message.spaceId, message.items);
    this.#hear(origin, true);
  }

  /** Notes that `origin` is alive; one never heard of (or expired) is asked for all it has. */
  #hear(origin: string, ask: boolean): void {
    const known = this.#heard.has(origin);
    this.#heard.set(origin, this.#now());
    if (known || !ask) return;
    const asked = this.#asked.get(origin);
    if (asked !== undefined && this.#now() - asked < this.#leaseMs) return;
    this.#asked.set(origin, this.#now());
    this.#raw(JSON.stringify(["sync", this.#id, origin]));
  }

  #raw(payload: string): void {
    this.#enqueue({ kind: "raw", payload });
  }

  #enqueue(item: Outgoing): void {
    if (this.#closed) return;
    if (item.kind === "full") {
      // Announcing everything covers every change still waiting.
      const kept = this.#outbox.filter((o) => o.kind === "raw");
      this.#outbox.length = 0;
      this.#outbox.push(...kept);
    } else if (this.#outbox.length >= MAX_OUTBOX) {
      this.#outbox.length = 0;
      this.#outbox.push({ kind: "full" });
    }
    this.#outbox.push(item);
    this.#sending ??= this.#pump().finally(() => (this.#sending = undefined));
  }

  /** Publishes the outbox one message at a time: the bus keeps one publisher's order only so. */
  async #pump(): Promise<void> {
    for (let item = this.#outbox.shift(); item !== undefined; item = this.#outbox.shift()) {
      for (const payload of this.#encode(item)) {
        try {
          await this.options.bus.publishPresence(payload);
        } catch (error) {
          this.#dirty = true;
          this.options.logger.warn("presence publish failed", { error: String(error) });
        }
      }
    }
  }

  #encode(item: Outgoing): string[] {
    const skipped = (what: string) =>
      this.options.logger.warn("presence entry too large for the bus; not sent to other processes", { what });
    if (item.kind === "raw") return [item.payload];
    if (item.kind === "delta") return encodeDelta(this.#id, item.spaceId, [...item.items.values()], skipped);
    const all: FullItem[] = [];
    for (const [spaceId, r] of this.options.hub.localRecords())
      all.push([spaceId, r.clientId, r.userId, r.state]);
    return encodeFull(this.#id, all, skipped);
  }
}

function groupBySpace(items: readonly FullItem[]): Map<string, [string, string, unknown][]> {
  const bySpace = new Map<string, [string, string, unknown][]>();
  for (const [spaceId, clientId, userId, state] of items) {
    const list = bySpace.get(spaceId) ?? [];
    list.push([clientId, userId, state]);
    bySpace.set(spaceId, list);
  }
  return bySpace;
}
