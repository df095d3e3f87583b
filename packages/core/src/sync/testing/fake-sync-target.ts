import type { WireMutation } from "../../protocol/messages.js";
import type { ApplyResult, ServerUpdate, SyncTarget } from "../../store/server-update.js";

/**
 * A minimal in-memory `SyncTarget` for testing the sync layer alone: a base map, a version, and a
 * pending list, with the contract's gap, stale and acknowledgement rules — no mutator runs.
 */
export class FakeSyncTarget implements SyncTarget {
  readonly ready = Promise.resolve();
  readonly base = new Map<string, unknown>();
  pending: WireMutation[] = [];
  version = 0;
  history: string | null = null;
  acked = 0;
  readonly rejections: Array<{ id: number; code: string; message: string }> = [];
  readonly adoptions: Array<{ historyId: string; serverLastMutationId: number }> = [];
  private nextId = 1;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly clientId = "c1",
    readonly userId = "u1",
  ) {}

  /** Records a pending mutation, as `mutate` would. */
  add(name: string, args: unknown = {}): number {
    const id = this.nextId++;
    this.pending.push({ id, name, args, timestamp: id });
    for (const l of [...this.listeners]) l();
    return id;
  }

  baseVersion(): number {
    return this.version;
  }
  historyId(): string | null {
    return this.history;
  }
  lastAcknowledgedId(): number {
    return this.acked;
  }
  pendingMutations(afterId: number): WireMutation[] {
    return this.pending.filter((m) => m.id > afterId);
  }
  pendingCount(): number {
    return this.pending.length;
  }

  applyServerUpdate(update: ServerUpdate): Promise<ApplyResult> {
    if (update.lastMutationId !== undefined && update.lastMutationId > this.acked) {
      this.acked = update.lastMutationId;
      this.pending = this.pending.filter((m) => m.id > this.acked);
    }
    if (update.maxIncludedVersion <= this.version) return Promise.resolve({ status: "stale" });
    if (update.minIncludedVersion > this.version + 1) {
      return Promise.resolve({ status: "gap", baseVersion: this.version });
    }
    for (const p of update.patches) {
      if (p.op === "reset") this.base.clear();
      else if (p.op === "set") this.base.set(p.key, p.value);
      else this.base.delete(p.key);
    }
    this.version = update.maxIncludedVersion;
    return Promise.resolve({ status: "applied" });
  }

  recordRejection(id: number, code: string, message: string): void {
    this.rejections.push({ id, code, message });
  }

  adoptHistory(historyId: string, serverLastMutationId: number): Promise<void> {
    this.adoptions.push({ historyId, serverLastMutationId });
    this.history = historyId;
    this.version = 0;
    this.acked = serverLastMutationId;
    this.pending = this.pending.map((m, i) => ({ ...m, id: serverLastMutationId + 1 + i }));
    this.nextId = serverLastMutationId + 1 + this.pending.length;
    return Promise.resolve();
  }

  onPendingAdded(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
