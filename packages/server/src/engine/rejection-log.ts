import type { WireError } from "./wire-error.js";

/** One rejected mutation. */
export interface Rejection {
  readonly id: number;
  readonly error: WireError;
}

/**
 * Recent rejections per client, kept in memory so a client that lost its connection between the
 * commit and the `mutation_error` still learns why its mutation was rejected: the handshake
 * replays the rejections after the client's acknowledged id. Bounded per client and in clients
 * (oldest forgotten first); not shared between processes and not kept across restarts.
 */
export class RejectionLog {
  readonly #byClient = new Map<string, Rejection[]>();

  constructor(
    private readonly perClient = 100,
    private readonly clients = 10_000,
  ) {}

  record(clientId: string, rejections: readonly Rejection[]): void {
    if (rejections.length === 0) return;
    const list = this.#byClient.get(clientId) ?? [];
    // Re-insert so the map's order is least recently used first.
    this.#byClient.delete(clientId);
    list.push(...rejections);
    if (list.length > this.perClient) list.splice(0, list.length - this.perClient);
    this.#byClient.set(clientId, list);
    if (this.#byClient.size > this.clients) {
      const oldest = this.#byClient.keys().next().value;
      if (oldest !== undefined) this.#byClient.delete(oldest);
    }
  }

  /** The newest `limit` rejections of the clients that were rejected last, newest first. */
  recent(limit: number): Array<Rejection & { readonly clientId: string }> {
    const out: Array<Rejection & { readonly clientId: string }> = [];
    const clients = [...this.#byClient.keys()];
    for (let i = clients.length - 1; i >= 0 && out.length < limit; i--) {
      const list = this.#byClient.get(clients[i]!)!;
      for (let j = list.length - 1; j >= 0 && out.length < limit; j--)
        out.push({ clientId: clients[i]!, ...list[j]! });
    }
    return out;
  }

  /** Rejections of `clientId` with id > `afterId`, in id order. */
  after(clientId: string, afterId: number): Rejection[] {
    return (this.#byClient.get(clientId) ?? []).filter((r) => r.id > afterId);
  }
}
