import { ProtocolError } from "../errors.js";
import type { PeerTarget } from "../store/peer-target.js";
import type { ClientRegistry } from "./client-registry.js";
import type { TabChannel } from "./tab-channel.js";
import type { ReleaseLock, TabLocks } from "./tab-locks.js";
import { tabMessage, type TabMessage } from "./tab-message.js";
import { clientLockName } from "./claim-client-id.js";

/**
 * Pushes the pending mutations of client `clientId`, whose tab is gone, and resolves once the
 * server acknowledged them (at once when there are none). Stops early when `signal` aborts.
 */
export type AdoptClient = (clientId: string, signal: AbortSignal) => Promise<void>;

/** Options of {@link TabCoordinator}. */
export interface TabCoordinatorOptions {
  readonly target: PeerTarget;
  readonly channel: TabChannel;
  readonly locks: TabLocks;
  readonly registry: ClientRegistry;
  /** Names the locks of this space and user: client X's lock is `${lockPrefix}/${X}`. */
  readonly lockPrefix: string;
  readonly adopt: AdoptClient;
  /** @default ignore */
  readonly onError?: (error: unknown) => void;
}

/**
 * Keeps the tabs of one browser coherent for one space and user. Each tab is its own client (own
 * id, own persisted queue, own connection) and holds its client's lock while it lives. The
 * coordinator:
 *
 * - sends every own mutation to the other tabs, which show it at once (also offline);
 * - answers a new tab's `hello` with its whole pending list;
 * - waits on the lock of every other registered client; when it frees (that tab closed or
 *   crashed) it adopts the client's queue, pushing what is left under that client's id, so the
 *   server's per-client last mutation id keeps it exactly once even if another tab or a later
 *   load tries too.
 */
export class TabCoordinator {
  readonly #options: TabCoordinatorOptions;
  readonly #watches = new Map<string, AbortController>();
  readonly #stop: Array<() => void> = [];
  #closed = false;

  constructor(options: TabCoordinatorOptions) {
    this.#options = options;
  }

  /** Joins the other tabs once the store is ready; resolves when joined. */
  async start(): Promise<void> {
    const { target, channel, registry } = this.#options;
    await target.ready;
    if (this.#closed) return;
    this.#stop.push(channel.onMessage((raw) => this.#onMessage(raw)));
    this.#stop.push(
      target.onLocalMutation((m) =>
        this.#post({ type: "pending", clientId: target.clientId, mutations: [m], replace: false }),
      ),
    );
    let pendingBefore = target.pendingCount();
    this.#stop.push(
      target.onPendingCountChange((count) => {
        // Acknowledged: tell tabs whose updates may not list this client to drop them.
        if (count < pendingBefore) {
          const { clientId } = target;
          this.#post({
            type: "acked",
            clientId,
            lastMutationId: target.lastAcknowledgedId(),
            version: target.baseVersion(),
          });
        }
        pendingBefore = count;
      }),
    );
    this.#post({ type: "hello", clientId: target.clientId });
    this.#announce();
    for (const id of await registry.list()) if (id !== target.clientId) this.#watch(id);
  }

  /** Number of other clients being watched or adopted now. */
  get watching(): number {
    return this.#watches.size;
  }

  /** Leaves the other tabs; adoptions under way are aborted. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const stop of this.#stop.splice(0)) stop();
    for (const watch of this.#watches.values()) watch.abort();
    this.#watches.clear();
  }

  #onMessage(raw: unknown): void {
    const parsed = tabMessage.safeParse(raw);
    if (!parsed.success) {
      this.#options.onError?.(new ProtocolError(`Ignored a malformed tab message: ${parsed.error.message}`));
      return;
    }
    const message = parsed.data;
    const { target } = this.#options;
    if (message.clientId === target.clientId) return;
    if (message.type === "hello") {
      this.#announce();
      this.#watch(message.clientId);
      return;
    }
    const applied =
      message.type === "acked"
        ? target.applyPeerAck(message.clientId, message.lastMutationId, message.version)
        : target.applyPeerMutations(message.clientId, message.mutations, message.replace);
    applied.catch((error: unknown) => this.#options.onError?.(error));
  }

  /** Sends this tab's whole pending list. */
  #announce(): void {
    const { target } = this.#options;
    this.#post({
      type: "pending",
      clientId: target.clientId,
      mutations: target.localPendingMutations(),
      replace: true,
    });
  }

  #post(message: TabMessage): void {
    if (!this.#closed) this.#options.channel.post(message);
  }

  /** Waits for client `clientId`'s tab to go, then adopts its queue (once per sighting). */
  #watch(clientId: string): void {
    if (this.#closed || this.#watches.has(clientId)) return;
    const { locks, lockPrefix, adopt, onError } = this.#options;
    const watch = new AbortController();
    this.#watches.set(clientId, watch);
    const adoptAndRelease = async (release: ReleaseLock) => {
      try {
        await adopt(clientId, watch.signal);
      } catch (error) {
        if (!watch.signal.aborted) onError?.(error);
      } finally {
        release();
        if (this.#watches.get(clientId) === watch) this.#watches.delete(clientId);
      }
    };
    locks.acquire(clientLockName(lockPrefix, clientId), watch.signal).then(adoptAndRelease, () => {
      if (this.#watches.get(clientId) === watch) this.#watches.delete(clientId);
    });
  }
}
