import { v4 as uuidv4 } from "uuid";
import type { Store } from "./client-types.js";
import { createStore, type CreateStoreOptions } from "./client.js";
import type { AnyStoreDefinition } from "./schema/define-store.js";
import type { PeerTarget } from "./store/peer-target.js";
import { broadcastTabChannels } from "./tabs/broadcast-tab-channel.js";
import { claimClientId } from "./tabs/claim-client-id.js";
import type { ClientRegistry } from "./tabs/client-registry.js";
import type { TabChannel, TabChannelFactory } from "./tabs/tab-channel.js";
import { TabCoordinator, type AdoptClient } from "./tabs/tab-coordinator.js";
import type { TabLocks } from "./tabs/tab-locks.js";
import type { TabMessage } from "./tabs/tab-message.js";
import { webTabLocks } from "./tabs/web-tab-locks.js";

/** How the tabs of one browser find each other. */
export interface TabOptions {
  /**
   * The registry of client ids for a space and user, shared by all tabs (`idbClientRegistry` from
   * `@synced-store/core/idb` in browsers).
   */
  readonly registry: (name: string) => ClientRegistry;
  /** @default `BroadcastChannel` where there is one */
  readonly channels?: TabChannelFactory;
  /** @default `navigator.locks` where there is one */
  readonly locks?: TabLocks;
  /** @default a random UUID */
  readonly newClientId?: () => string;
}

/** Options of {@link createTabStore}: those of `createStore` plus the tab plumbing. */
export interface TabStoreOptions extends Omit<CreateStoreOptions, "clientId" | "peers"> {
  readonly tabs: TabOptions;
}

/**
 * Creates a store that stays coherent with the other tabs of this browser showing the same space
 * for the same user, also offline: a mutation in one tab shows in the others at once, and the
 * pending mutations of a tab that closed before it could push are pushed by another tab or by
 * the next load, exactly once. Each tab is its own client (its own id, persisted queue and
 * connection); the server's per-client last mutation id makes every re-push idempotent.
 *
 * Where there is no `BroadcastChannel` or no Web Locks, it is a plain `createStore`.
 */
export async function createTabStore<D extends AnyStoreDefinition>(
  definition: D,
  options: TabStoreOptions,
): Promise<Store<D>> {
  const { tabs, ...storeOptions } = options;
  const channels = tabs.channels ?? broadcastTabChannels();
  const locks = tabs.locks ?? webTabLocks();
  if (channels === undefined || locks === undefined) return createStore(definition, storeOptions);

  const name = `synced-store/${definition.name}/${options.space}/${options.userId}`;
  const registry = tabs.registry(name);
  const onError = options.onError ?? (() => undefined);
  const { clientId, release } = await claimClientId({
    locks,
    registry,
    lockPrefix: name,
    newClientId: tabs.newClientId ?? uuidv4,
  });
  const channel = channels(name);
  let own: PeerTarget | undefined;

  const adopt: AdoptClient = async (orphanId, signal) => {
    const orphan = createStore(definition, {
      ...storeOptions,
      clientId: orphanId,
      peers: (target) => {
        void target.ready.then(() => showOrphan(orphanId, target, own, channel)).catch(onError);
        return () => undefined;
      },
    });
    try {
      await orphan.ready;
      await until(
        () => orphan.status.pendingCount === 0,
        (l) => orphan.onStatusChange(l),
        signal,
      );
    } finally {
      await orphan.close();
    }
  };

  return createStore(definition, {
    ...storeOptions,
    clientId,
    peers: (target) => {
      own = target;
      const coordinator = new TabCoordinator({
        target,
        channel,
        locks,
        registry,
        lockPrefix: name,
        adopt,
        onError,
      });
      coordinator.start().catch(onError);
      return () => {
        coordinator.close();
        channel.close();
        release();
      };
    },
  });
}

/** Shows an adopted client's pending mutations in this tab and the others until they are pushed. */
function showOrphan(orphanId: string, orphan: PeerTarget, own: PeerTarget | undefined, channel: TabChannel) {
  const mutations = orphan.localPendingMutations();
  if (mutations.length === 0) return;
  const message: TabMessage = { type: "pending", clientId: orphanId, mutations, replace: true };
  channel.post(message);
  return own?.applyPeerMutations(orphanId, mutations, true);
}

/** Resolves once `ready()` holds, re-checking whenever `subscribe` reports a change. */
function until(ready: () => boolean, subscribe: (listener: () => void) => () => void, signal: AbortSignal) {
  return new Promise<void>((resolve, reject) => {
    if (ready()) return resolve();
    const stop = subscribe(() => {
      if (!ready()) return;
      stop();
      resolve();
    });
    signal.addEventListener(
      "abort",
      () => {
        stop();
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}
