import { MutationRejectedError, type SyncedStoreErrorCode } from "../errors.js";
import { OrderedMap } from "../kv/ordered-map.js";
import type { PersistedMutation } from "../kv/persistence.js";
import type { WireMutation } from "../protocol/messages.js";
import { deferred } from "../util/deferred.js";
import { findCoalesceTarget, type CoalesceCandidate } from "./find-coalesce-target.js";
import { toWire, type PendingMutation } from "./pending-mutation.js";
import type { RunnableMutator } from "./run-mutator.js";

/** Wire codes a rejection keeps; anything else becomes `mutator_failed`. */
const REJECTION_CODES = new Set<string>([
  "invalid_args",
  "invalid_value",
  "unknown_key",
  "unknown_mutator",
  "mutator_failed",
  "permission_denied",
  "mutator_retired",
]);

/** How many acknowledged mutations are remembered for rejections that arrive late. */
const RECENT_LIMIT = 256;

/**
 * This client's pending mutations in id order (1, 2, 3… with no gaps), with what the server said
 * of them: the last acknowledged id and recorded rejections. It also remembers which ids were
 * handed to the sync layer, since the server may hold those and they may no longer be coalesced.
 */
export class PendingQueue {
  #list: PendingMutation[] = [];
  #lastAck = 0;
  #handedOut = 0;
  readonly #rejections = new Map<number, { code: string; message: string }>();
  /** Names of recently acknowledged mutations, for a rejection that arrives after the ack. */
  readonly #recent = new Map<number, string>();
  readonly #mutators: Readonly<Record<string, RunnableMutator | undefined>>;

  constructor(mutators: Readonly<Record<string, RunnableMutator | undefined>>) {
    this.#mutators = mutators;
  }

  get size(): number {
    return this.#list.length;
  }

  /** Highest id the server acknowledged (0 = none). */
  get lastAcknowledgedId(): number {
    return this.#lastAck;
  }

  /** Highest id handed to the sync layer (0 = none since load or renumbering). */
  get handedOutId(): number {
    return this.#handedOut;
  }

  /** The pending mutations, in id order. */
  get mutations(): readonly PendingMutation[] {
    return this.#list;
  }

  /** Restores persisted state on load; arguments that no longer parse replay as no-ops. */
  restore(lastAcknowledgedId: number, persisted: readonly PersistedMutation[]): void {
    this.#lastAck = lastAcknowledgedId;
    for (const p of persisted) {
      const parsed = this.#mutators[p.name]?.args.safeParse(p.args);
      this.#list.push({
        ...p,
        parsed: parsed?.success ? { ok: true, value: parsed.data } : { ok: false },
        writes: new OrderedMap(),
        confirmed: deferred<void>(),
      });
    }
  }

  /** Mutations with id > `afterId`, for the wire. */
  wire(afterId: number): WireMutation[] {
    return this.#list.filter((m) => m.id > afterId).map(toWire);
  }

  /** Like `wire`, and marks them handed out: the server may hold them from now on. */
  handOut(afterId: number): WireMutation[] {
    const out = this.wire(afterId);
    const last = out[out.length - 1];
    if (last !== undefined && last.id > this.#handedOut) this.#handedOut = last.id;
    return out;
  }

  /** The id the next new mutation gets. */
  nextId(): number {
    const last = this.#list[this.#list.length - 1];
    return Math.max(this.#lastAck, last?.id ?? 0) + 1;
  }

  /** Appends a new mutation (its id from `nextId`). */
  add(m: PendingMutation): void {
    this.#list.push(m);
  }

  /** Replaces the mutation at `index` (a coalesced call; same id). */
  replace(index: number, m: PendingMutation): void {
    this.#list[index] = m;
  }

  /** Index of the unsent pending call a new call may replace (see `findCoalesceTarget`). */
  coalesceTarget(name: string, def: RunnableMutator, args: unknown): number | undefined {
    const key = def.coalesce?.(args);
    if (key === undefined) return undefined;
    const list = this.#list;
    const mutators = this.#mutators;
    function* newestFirst(): Generator<CoalesceCandidate> {
      for (let i = list.length - 1; i >= 0; i--) {
        const m = list[i]!;
        const coalesce = m.parsed.ok ? mutators[m.name]?.coalesce : undefined;
        yield { id: m.id, name: m.name, coalesceKey: m.parsed.ok ? coalesce?.(m.parsed.value) : undefined };
      }
    }
    const id = findCoalesceTarget(newestFirst(), Math.max(this.#handedOut, this.#lastAck), name, key);
    return id === undefined ? undefined : list.findLastIndex((m) => m.id === id);
  }

  /**
   * The server rejected `mutationId`; applied when an acknowledgement covers it. A rejection that
   * arrives after the acknowledgement (its `confirmed` already resolved) is returned, so it can
   * still reach the rejection stream.
   */
  recordRejection(mutationId: number, code: string, message: string): MutationRejectedError | undefined {
    if (mutationId > this.#lastAck) {
      this.#rejections.set(mutationId, { code, message });
      return undefined;
    }
    const name = this.#recent.get(mutationId);
    if (name === undefined) return undefined;
    this.#recent.delete(mutationId);
    return rejectionError({ code, message }, mutationId, name);
  }

  /**
   * The server processed every id up to `lastMutationId`: removes those mutations and returns
   * them (not yet settled, see `settle`).
   */
  acknowledge(lastMutationId: number): PendingMutation[] {
    if (lastMutationId <= this.#lastAck) return [];
    this.#lastAck = lastMutationId;
    let n = 0;
    while (n < this.#list.length && this.#list[n]!.id <= lastMutationId) n++;
    return this.#list.splice(0, n);
  }

  /** Resolves or rejects the `confirmed` of acknowledged mutations; returns the rejections. */
  settle(acked: readonly PendingMutation[]): MutationRejectedError[] {
    const rejected: MutationRejectedError[] = [];
    for (const m of acked) {
      const rejection = this.#rejections.get(m.id);
      if (rejection === undefined) {
        m.confirmed.resolve();
        this.#recent.set(m.id, m.name);
        continue;
      }
      this.#rejections.delete(m.id);
      const error = rejectionError(rejection, m.id, m.name);
      m.confirmed.reject(error);
      rejected.push(error);
    }
    for (const id of this.#recent.keys()) {
      if (this.#recent.size <= RECENT_LIMIT) break;
      this.#recent.delete(id);
    }
    return rejected;
  }

  /**
   * Renumbers the queue to follow `serverLastMutationId` (another server history), forgetting
   * rejections and hand-outs of the old numbering. Returns the old ids.
   */
  renumber(serverLastMutationId: number): number[] {
    const oldIds = this.#list.map((m) => m.id);
    this.#list.forEach((m, i) => (m.id = serverLastMutationId + 1 + i));
    this.#lastAck = serverLastMutationId;
    this.#handedOut = 0;
    this.#rejections.clear();
    this.#recent.clear();
    return oldIds;
  }

  /**
   * Rejects every `confirmed` still waiting and lets go of the mutations (the store closed; no
   * answer will come, and they stay persisted for the next open).
   */
  abandon(error: Error): void {
    for (const m of this.#list) m.confirmed.reject(error);
    this.#list = [];
  }
}

function rejectionError(
  rejection: { code: string; message: string },
  id: number,
  name: string,
): MutationRejectedError {
  const code = (
    REJECTION_CODES.has(rejection.code) ? rejection.code : "mutator_failed"
  ) as SyncedStoreErrorCode;
  return new MutationRejectedError(code, rejection.message, id, name);
}
