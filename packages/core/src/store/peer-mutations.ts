import type { WireMutation } from "../protocol/messages.js";
import type { z } from "zod";
import type { PendingMutation } from "./pending-mutation.js";

/** A pending mutation of another tab (another client of the same user), shown but never pushed. */
export interface PeerMutation {
  readonly clientId: string;
  readonly id: number;
  readonly name: string;
  readonly parsed: PendingMutation["parsed"];
  readonly timestamp: number;
}

/**
 * The pending mutations of other tabs, per client, and what the server acknowledged of each
 * client. Held in memory only: the other tab (or whoever adopts its queue) persists and pushes them.
 */
export class PeerMutations {
  readonly #byClient = new Map<string, PeerMutation[]>();
  readonly #acked = new Map<string, number>();
  /** Acknowledgements other tabs saw at a base version this store has not reached yet. */
  #deferred: Array<{ clientId: string; lastMutationId: number; version: number }> = [];

  /** `mutators`: the definition's `mutatorDefs`, to parse the args of peer mutations. */
  constructor(
    private readonly mutators: Readonly<Record<string, { readonly args: z.ZodType } | undefined>>,
  ) {}

  /** Number of peer mutations shown. */
  get size(): number {
    let n = 0;
    for (const list of this.#byClient.values()) n += list.length;
    return n;
  }

  /** Every peer mutation shown, by client then id. */
  all(): PeerMutation[] {
    return [...this.#byClient.values()].flat();
  }

  /**
   * Adds `mutations` of `clientId`, replacing those with the same id; with `replace` they become
   * the client's whole list. Ids the server already acknowledged are ignored. Returns whether
   * anything changed.
   */
  apply(clientId: string, mutations: readonly WireMutation[], replace: boolean): boolean {
    const acked = this.#acked.get(clientId) ?? 0;
    const list = replace ? [] : [...(this.#byClient.get(clientId) ?? [])];
    let changed = replace && (this.#byClient.get(clientId)?.length ?? 0) > 0;
    for (const m of mutations) {
      if (m.id <= acked) continue;
      const parsed = this.mutators[m.name]?.args.safeParse(m.args);
      const peer: PeerMutation = {
        clientId,
        id: m.id,
        name: m.name,
        parsed: parsed?.success ? { ok: true, value: parsed.data } : { ok: false },
        timestamp: m.timestamp,
      };
      const at = list.findIndex((p) => p.id === m.id);
      if (at >= 0) list[at] = peer;
      else list.push(peer);
      changed = true;
    }
    list.sort((a, b) => a.id - b.id);
    if (list.length > 0) this.#byClient.set(clientId, list);
    else this.#byClient.delete(clientId);
    return changed;
  }

  /**
   * Records the server's last processed id per client (`client_id_to_last_mutation_id`) and drops
   * the peer mutations it covers. `ownClientId` is skipped. Returns whether any was dropped.
   */
  acknowledge(lastMutationIds: Readonly<Record<string, number>>, ownClientId: string): boolean {
    let dropped = false;
    for (const [clientId, lmid] of Object.entries(lastMutationIds)) {
      if (clientId === ownClientId) continue;
      if (lmid > (this.#acked.get(clientId) ?? 0)) this.#acked.set(clientId, lmid);
      const list = this.#byClient.get(clientId);
      if (!list) continue;
      const rest = list.filter((m) => m.id > lmid);
      if (rest.length === list.length) continue;
      dropped = true;
      if (rest.length > 0) this.#byClient.set(clientId, rest);
      else this.#byClient.delete(clientId);
    }
    return dropped;
  }

  /**
   * Records another tab's word that the server applied `clientId`'s mutations up to
   * `lastMutationId`, as seen in its base at `version`. Dropped now if this store's base is at
   * `version` or later (so it shows their effect), else once it gets there. Returns whether any
   * was dropped now.
   */
  acknowledgeAt(
    clientId: string,
    lastMutationId: number,
    version: number,
    baseVersion: number,
    own: string,
  ): boolean {
    if (version <= baseVersion) return this.acknowledge({ [clientId]: lastMutationId }, own);
    this.#deferred.push({ clientId, lastMutationId, version });
    return false;
  }

  /** Applies the deferred acknowledgements that `baseVersion` reached. Returns whether any dropped. */
  releaseDeferred(baseVersion: number, own: string): boolean {
    if (this.#deferred.length === 0) return false;
    const due = this.#deferred.filter((d) => d.version <= baseVersion);
    this.#deferred = this.#deferred.filter((d) => d.version > baseVersion);
    let dropped = false;
    for (const d of due) dropped = this.acknowledge({ [d.clientId]: d.lastMutationId }, own) || dropped;
    return dropped;
  }

  /**
   * Own pending mutations (in id order) and peer mutations merged by (timestamp, client id): the
   * order every tab derives alike, so tabs holding the same mutations show the same state. Peer
   * mutations are the ones with a `clientId`.
   */
  replayOrder(ownClientId: string, own: readonly PendingMutation[]): Array<PendingMutation | PeerMutation> {
    if (this.#byClient.size === 0) return [...own];
    const peers = [...this.#byClient.values()].flat().sort(compareSteps);
    const steps: Array<PendingMutation | PeerMutation> = [];
    let i = 0;
    for (const mutation of own) {
      const mine = { clientId: ownClientId, timestamp: mutation.timestamp, id: mutation.id };
      while (i < peers.length && compareSteps(peers[i]!, mine) < 0) steps.push(peers[i++]!);
      steps.push(mutation);
    }
    return steps.concat(peers.slice(i));
  }
}

interface Ordered {
  readonly timestamp: number;
  readonly clientId: string;
  readonly id: number;
}

function compareSteps(a: Ordered, b: Ordered): number {
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  if (a.clientId !== b.clientId) return a.clientId < b.clientId ? -1 : 1;
  return a.id - b.id;
}
