import { v4 as uuidv4 } from "uuid";
import type { Persistence, PersistedState } from "../kv/persistence.js";
import type { PeerTarget } from "../store/peer-target.js";
import { broadcastTabChannels } from "./broadcast-tab-channel.js";
import { claimClientId } from "./claim-client-id.js";
import type { ClientRegistry } from "./client-registry.js";
import type { TabChannel, TabChannelFactory } from "./tab-channel.js";
import { TabCoordinator, type AdoptClient } from "./tab-coordinator.js";
import type { TabLocks } from "./tab-locks.js";
import type { TabMessage } from "./tab-message.js";
import { webTabLocks } from "./web-tab-locks.js";

/** The `tabs` option of `createStore`: how the tabs of one browser find each other. */
export interface TabOptions {
  /**
   * The registry of client ids of a space and user, shared by every tab (`idbClientRegistry`
   * from `@synced-store/core/idb` in browsers).
   */
  readonly registry: (name: string) => ClientRegistry;
  /** @default `BroadcastChannel` where there is one */
  readonly channels?: TabChannelFactory;
  /** @default `navigator.locks` where there is one */
  readonly locks?: TabLocks;
  /** @default a random UUID */
  readonly newClientId?: () => string;
}

/** The part of a store that adopting an orphaned client's queue watches. */
export interface OrphanStore {
  readonly ready: Promise<void>;
  readonly status: { readonly pendingCount: number };
  onStatusChange(listener: () => void): () => void;
  close(): Promise<void>;
}

/** What `linkTabs` needs from `createStore`. */
export interface LinkTabsOptions {
  readonly tabs: TabOptions;
  /** Names this space and user among the tabs, e.g. `todo/list-1/alice`. */
  readonly name: string;
  /**
   * The store definition's version. Tabs of different versions share client ids and locks (a
   * newer tab adopts an older tab's queue and upgrades it) but not their pending mutations, which
   * each version's mutators read differently; no tab takes over a queue a newer version wrote.
   */
  readonly version: number;
  /** Opens the persistence of client `clientId`. */
  readonly openPersistence: (clientId: string) => Persistence;
  /** Opens a store as client `clientId` (without tabs), linked to the others through `peers`. */
  readonly openOrphan: (clientId: string, peers: (target: PeerTarget) => () => void) => OrphanStore;
  readonly onError: (error: unknown) => void;
}

/** What `createStore` uses of a tab link. */
export interface TabLink {
  /** The persistence of the client id this tab claims (known once `load` resolves). */
  readonly persistence: Persistence;
  /** Links the store with the other tabs; returns the unlink. */
  readonly peers: (target: PeerTarget) => () => void;
}

/**
 * Links a store with the other tabs of this browser showing the same space for the same user:
 * it claims a client id (a free registered one, with its persisted queue, or a new one), shares
 * pending mutations over the tab channel, and adopts the queues of tabs that closed before they
 * could push (see `TabCoordinator`). Returns undefined where there is no `BroadcastChannel` or
 * no Web Locks: the store then runs as a lone tab.
 */
export function linkTabs(options: LinkTabsOptions): TabLink | undefined {
  const { tabs, name, onError } = options;
  const channels = tabs.channels ?? broadcastTabChannels();
  const locks = tabs.locks ?? webTabLocks();
  if (channels === undefined || locks === undefined) return undefined;
  const registry = tabs.registry(name);
  /** What a client left in persistence: its version and how many mutations it still queues. */
  const probe = async (clientId: string) => {
    const persistence = options.openPersistence(clientId);
    try {
      const state = await persistence.load();
      return { version: state?.meta.definitionVersion ?? 1, left: state?.pending.length ?? 0 };
    } finally {
      await persistence.close();
    }
  };
  const claim = claimClientId({
    locks,
    registry,
    lockPrefix: name,
    newClientId: tabs.newClientId ?? uuidv4,
    accept: async (clientId) => (await probe(clientId)).version <= options.version,
  });
  const channel = channels(`${name}@v${options.version}`);
  let own: PeerTarget | undefined;

  const adopt: AdoptClient = async (orphanId, signal) => {
    // Most freed clients left nothing behind: look before opening a store and a connection.
    const { version, left } = await probe(orphanId);
    if (left === 0 || version > options.version || signal.aborted) return;
    const orphan = options.openOrphan(orphanId, (target) => {
      void target.ready.then(() => showOrphan(orphanId, target, own, channel)).catch(onError);
      return () => undefined;
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

  return {
    persistence: claimedPersistence(
      claim.then((c) => c.clientId),
      options.openPersistence,
    ),
    peers(target) {
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
        void claim.then((c) => c.release(), onError);
      };
    },
  };
}

/**
 * A persistence that opens once `clientId` is claimed. A fresh one gets its meta written at
 * once, naming the claimed id, which the store adopts on load as it adopts any persisted id.
 */
function claimedPersistence(clientId: Promise<string>, open: (clientId: string) => Persistence): Persistence {
  const opened = clientId.then((id) => ({ id, persistence: open(id) }));
  return {
    async load(): Promise<PersistedState> {
      const { id, persistence } = await opened;
      const state = await persistence.load();
      if (state !== undefined) return state;
      const meta = { clientId: id, historyId: null, baseVersion: 0, lastAcknowledgedId: 0 };
      await persistence.write({ meta });
      return { meta, base: [], pending: [] };
    },
    write: async (batch) => (await opened).persistence.write(batch),
    close: async () => (await opened).persistence.close(),
  };
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
    if (signal.aborted) return reject(signal.reason as Error);
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
