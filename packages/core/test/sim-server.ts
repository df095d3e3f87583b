/**
 * A minimal in-memory server for convergence tests of the client engine: it applies pushed
 * mutations canonically (same mutators, `location: "server"`), keeps the version each key last
 * changed at, and answers pulls and pokes with the final values changed since a version, filtered
 * for the receiving user. Not the real server: just enough protocol to drive `SyncTarget`.
 */
import { OrderedMap } from "../src/kv/ordered-map.js";
import type { PatchOp, WireMutation } from "../src/protocol/messages.js";
import type { AnyStoreDefinition } from "../src/schema/define-store.js";
import { canRead } from "../src/schema/keys.js";
import { DELETED, LayeredView } from "../src/store/layered-view.js";
import { runMutator, type RunnableMutator } from "../src/store/run-mutator.js";
import { toSyncedStoreError } from "../src/errors.js";

/** A state message for one client. */
export interface SimUpdate {
  readonly type: "poke";
  readonly min: number;
  readonly max: number;
  readonly patches: PatchOp[];
  readonly lastMutationId: number;
}

/** A rejection for one client. */
export interface SimRejection {
  readonly type: "mutation_error";
  readonly id: number;
  readonly code: string;
  readonly message: string;
}

export class SimServer {
  readonly state = new OrderedMap<unknown>();
  version = 0;
  readonly #changedAt = new Map<string, number>();
  readonly #lastMutationIds = new Map<string, number>();

  constructor(private readonly definition: AnyStoreDefinition) {}

  lastMutationId(clientId: string): number {
    return this.#lastMutationIds.get(clientId) ?? 0;
  }

  /** Applies a push in order (duplicates skipped, stops at a gap); returns the rejections. */
  async push(clientId: string, userId: string, mutations: readonly WireMutation[]): Promise<SimRejection[]> {
    const rejections: SimRejection[] = [];
    const writes = new Map<string, unknown>();
    let processed = 0;
    for (const m of mutations) {
      const last = this.lastMutationId(clientId);
      if (m.id <= last) continue;
      if (m.id > last + 1) break;
      processed++;
      this.#lastMutationIds.set(clientId, m.id);
      const def = (this.definition.mutatorDefs as Record<string, RunnableMutator | undefined>)[m.name];
      const parsed = def?.args.safeParse(m.args);
      if (!parsed?.success) {
        rejections.push({ type: "mutation_error", id: m.id, code: "invalid_args", message: "invalid args" });
        continue;
      }
      try {
        const view = new LayeredView(this.state, []);
        const tx = await runMutator(
          def,
          m.name,
          parsed.data,
          view,
          { userId, clientId, location: "server" },
          this.definition.patterns,
        );
        for (const [key, value] of tx.writes.entries()) writes.set(key, value);
        for (const [key, value] of tx.writes.entries()) {
          if (value === DELETED) this.state.delete(key);
          else this.state.set(key, value);
        }
      } catch (error) {
        const e = toSyncedStoreError(error, "mutator_failed");
        rejections.push({ type: "mutation_error", id: m.id, code: e.code, message: e.message });
      }
    }
    if (processed > 0) {
      this.version++;
      for (const key of writes.keys()) this.#changedAt.set(key, this.version);
    }
    return rejections;
  }

  /** The final values of keys changed after `since`, as `userId` may see them. */
  updateSince(since: number, clientId: string, userId: string): SimUpdate {
    const patches: PatchOp[] = [];
    for (const [key, at] of this.#changedAt) {
      if (at <= since || !canRead(userId, key)) continue;
      const value = this.state.get(key);
      patches.push(value === undefined ? { op: "del", key } : { op: "set", key, value });
    }
    return {
      type: "poke",
      min: since + 1,
      max: this.version,
      patches,
      lastMutationId: this.lastMutationId(clientId),
    };
  }

  /** The state `userId` may see, for `assertConverged`. */
  visibleTo(userId: string): Map<string, unknown> {
    return new Map([...this.state.entries()].filter(([key]) => canRead(userId, key)));
  }
}
