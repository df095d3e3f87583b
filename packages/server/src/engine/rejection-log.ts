import { utf8Length } from "../util/storable-text.js";
import type { RejectionBounds } from "../storage/storage.js";
import type { WireRejection } from "@synced-store/core/protocol";
import type { WireError } from "./wire-error.js";

/** One rejected mutation. */
export interface Rejection {
  readonly id: number;
  readonly error: WireError;
}

/**
 * Bytes one kept rejection counts for: its client id, code and message in UTF-8, plus 16 for its
 * id and bookkeeping. SQLite's and PostgreSQL's collection counts the same way (see
 * `storage/sqlite.ts`, `storage/postgres-rejections.ts`).
 */
export function rejectionBytes(clientId: string, error: WireError): number {
  return utf8Length(clientId) + utf8Length(error.code) + utf8Length(error.message) + 16;
}

interface ClientRejections {
  readonly list: Rejection[];
  bytes: number;
}

/**
 * Recent rejections per client, kept in memory so a client that lost its connection between the
 * commit and the `mutation_error` still learns why its mutation was rejected: the handshake
 * replays the rejections after the client's acknowledged id. Bounded in counts and bytes per
 * client and per space: a client's oldest go first, then those of the clients rejected longest
 * ago. Not shared between processes and not kept across restarts: where storage keeps
 * rejections (SQLite, PostgreSQL), replays read them from there (`keptRejections`).
 */
export class RejectionLog {
  readonly #byClient = new Map<string, ClientRejections>();
  #count = 0;
  #bytes = 0;

  constructor(private readonly bounds: RejectionBounds) {}

  /** Rejections kept, and their bytes (as `rejectionBytes` counts them). */
  get size(): { readonly count: number; readonly bytes: number } {
    return { count: this.#count, bytes: this.#bytes };
  }

  record(clientId: string, rejections: readonly Rejection[]): void {
    if (rejections.length === 0) return;
    const entry = this.#byClient.get(clientId) ?? { list: [], bytes: 0 };
    // Re-insert so the map's order is least recently rejected first.
    this.#byClient.delete(clientId);
    this.#byClient.set(clientId, entry);
    for (const r of rejections) {
      const bytes = rejectionBytes(clientId, r.error);
      entry.list.push(r);
      entry.bytes += bytes;
      this.#count++;
      this.#bytes += bytes;
    }
    const { perClient, perClientBytes, perSpace, perSpaceBytes } = this.bounds;
    while (entry.list.length > 0 && (entry.list.length > perClient || entry.bytes > perClientBytes)) {
      this.#dropOldest(clientId, entry);
    }
    while (this.#count > perSpace || this.#bytes > perSpaceBytes) {
      const [oldestId, oldest] = this.#byClient.entries().next().value!;
      this.#dropOldest(oldestId, oldest);
    }
  }

  #dropOldest(clientId: string, entry: ClientRejections): void {
    const dropped = entry.list.shift()!;
    const bytes = rejectionBytes(clientId, dropped.error);
    entry.bytes -= bytes;
    this.#count--;
    this.#bytes -= bytes;
    if (entry.list.length === 0) this.#byClient.delete(clientId);
  }

  /** The newest `limit` rejections of the clients that were rejected last, newest first. */
  recent(limit: number): Array<Rejection & { readonly clientId: string }> {
    const out: Array<Rejection & { readonly clientId: string }> = [];
    const clients = [...this.#byClient.keys()];
    for (let i = clients.length - 1; i >= 0 && out.length < limit; i--) {
      const { list } = this.#byClient.get(clients[i]!)!;
      for (let j = list.length - 1; j >= 0 && out.length < limit; j--)
        out.push({ clientId: clients[i]!, ...list[j]! });
    }
    return out;
  }

  /** Rejections of `clientId` with id > `afterId`, in id order. */
  after(clientId: string, afterId: number): Rejection[] {
    return (this.#byClient.get(clientId)?.list ?? []).filter((r) => r.id > afterId);
  }
}

/**
 * What of `rejections` (of one client, in id order) an update may carry: the newest within the
 * per-client bounds in counts and bytes, as the log would keep them.
 */
export function boundedRejections(
  clientId: string,
  rejections: readonly Rejection[],
  bounds: RejectionBounds,
): Rejection[] {
  let bytes = 0;
  let first = rejections.length;
  while (first > 0 && rejections.length - first < bounds.perClient) {
    const size = rejectionBytes(clientId, rejections[first - 1]!.error);
    if (bytes + size > bounds.perClientBytes) break;
    bytes += size;
    first--;
  }
  return rejections.slice(first);
}

/** `rejections` as a poke or pull response carries them (`rejections`). */
export function wireRejections(rejections: readonly Rejection[]): WireRejection[] {
  return rejections.map((r) => ({ mutation_id: r.id, code: r.error.code, message: r.error.message }));
}

/** The bounds of `limits`. */
export function rejectionBounds(limits: {
  readonly rejectionsPerClient: number;
  readonly rejectionBytesPerClient: number;
  readonly rejectionsPerSpace: number;
  readonly rejectionBytesPerSpace: number;
}): RejectionBounds {
  return {
    perClient: limits.rejectionsPerClient,
    perClientBytes: limits.rejectionBytesPerClient,
    perSpace: limits.rejectionsPerSpace,
    perSpaceBytes: limits.rejectionBytesPerSpace,
  };
}
