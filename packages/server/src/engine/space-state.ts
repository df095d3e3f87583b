import { DELETED, OrderedMap, deepFreeze, type Layer } from "@synced-store/core/internal";
import type { SpaceHead, StorageReader } from "../storage/storage.js";

/** Marks a deleted key in a batch's or a transaction's write layer (core's marker, shared with clients' layers). */
export { DELETED };
/** Key → value or `DELETED`, ordered by key so transactions scan it directly. */
export type WriteLayer = Layer;

/** What the server knows of a client of a space. */
export interface ClientState {
  readonly userId: string;
  readonly lastMutationId: number;
}

/** What changed when the cache caught up with storage (another process's commits). */
export type CatchUp =
  | { readonly kind: "current" }
  | {
      readonly kind: "changes";
      readonly from: number;
      readonly writes: WriteLayer;
      readonly clients: Map<string, ClientState>;
      /** Of each client in `clients`, the last mutation id the cache held before (0: none). */
      readonly acknowledgedBefore: ReadonlyMap<string, number>;
    }
  | { readonly kind: "reloaded"; readonly historyChanged: boolean };

/**
 * The in-memory copy of one space's committed state, so pushes read no key from storage. It is
 * only a cache: at the start of every storage transaction the engine compares it with the stored
 * head and catches up (changes since its version, or a full reload), so several processes
 * sharing one database stay correct.
 */
export class SpaceState {
  historyId = "";
  version = 0;
  horizon = 0;
  /** Live values; each is deep-frozen, so a mutator that edits a read value in place fails instead of corrupting the cache. */
  readonly values = new OrderedMap<unknown>({ indexed: true });
  readonly clients = new Map<string, ClientState>();
  #loaded = false;

  /** Whether the cache holds the space (else the first catch-up reloads it whole). */
  get loaded(): boolean {
    return this.#loaded;
  }

  /** Brings the cache to `head`, reading through `reader` (inside the caller's transaction). */
  async catchUp(reader: StorageReader, head: SpaceHead): Promise<CatchUp> {
    if (this.#loaded && head.historyId === this.historyId && head.version === this.version) {
      return { kind: "current" };
    }
    if (
      this.#loaded &&
      head.historyId === this.historyId &&
      head.version > this.version &&
      this.version >= head.horizon
    ) {
      const from = this.version + 1;
      const writes: WriteLayer = new OrderedMap();
      for (const change of await reader.changesSince(this.version)) {
        writes.set(change.key, change.deleted ? DELETED : change.value);
      }
      const clients = new Map<string, ClientState>();
      const acknowledgedBefore = new Map<string, number>();
      for (const row of await reader.clients({ sinceVersion: this.version })) {
        clients.set(row.clientId, { userId: row.userId, lastMutationId: row.lastMutationId });
        acknowledgedBefore.set(row.clientId, this.clients.get(row.clientId)?.lastMutationId ?? 0);
      }
      this.apply(head.version, writes, clients);
      this.horizon = head.horizon;
      return { kind: "changes", from, writes, clients, acknowledgedBefore };
    }
    const historyChanged = this.#loaded && head.historyId !== this.historyId;
    await this.#reload(reader, head);
    return { kind: "reloaded", historyChanged };
  }

  /** Applies a committed batch. */
  apply(version: number, writes: WriteLayer, clients: ReadonlyMap<string, ClientState>): void {
    for (const [key, value] of writes) {
      if (value === DELETED) this.values.delete(key);
      else this.values.set(key, deepFreeze(value));
    }
    for (const [id, state] of clients) this.clients.set(id, state);
    this.version = version;
  }

  async #reload(reader: StorageReader, head: SpaceHead): Promise<void> {
    this.values.clear();
    this.clients.clear();
    for (const row of await reader.snapshot()) this.values.set(row.key, deepFreeze(row.value));
    for (const row of await reader.clients()) {
      this.clients.set(row.clientId, { userId: row.userId, lastMutationId: row.lastMutationId });
    }
    this.historyId = head.historyId;
    this.version = head.version;
    this.horizon = head.horizon;
    this.#loaded = true;
  }
}
