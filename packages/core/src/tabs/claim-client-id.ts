import type { ClientRegistry } from "./client-registry.js";
import type { ReleaseLock, TabLocks } from "./tab-locks.js";

/** The lock a tab holds while it uses client id `clientId`. */
export function clientLockName(lockPrefix: string, clientId: string): string {
  return `${lockPrefix}/${clientId}`;
}

/** Options of {@link claimClientId}. */
export interface ClaimClientIdOptions {
  readonly locks: TabLocks;
  readonly registry: ClientRegistry;
  readonly lockPrefix: string;
  /** Makes a fresh client id. */
  readonly newClientId: () => string;
  /**
   * Whether this tab may take over a free registered client (one a newer version of the app
   * wrote is left to a tab of that version). @default every one
   */
  readonly accept?: (clientId: string) => Promise<boolean>;
}

/**
 * Picks this tab's client id: the first registered client whose tab is gone (taking over its
 * persisted base and pending queue, which this tab then pushes), else a new registered one. The
 * returned lock must be held while the tab uses the id.
 */
export async function claimClientId(
  options: ClaimClientIdOptions,
): Promise<{ readonly clientId: string; readonly release: ReleaseLock }> {
  const { locks, registry, lockPrefix } = options;
  for (const clientId of await registry.list()) {
    const release = await locks.tryAcquire(clientLockName(lockPrefix, clientId));
    if (!release) continue;
    if ((await options.accept?.(clientId)) ?? true) return { clientId, release };
    release();
  }
  const clientId = options.newClientId();
  // Locked before it is listed, so no other tab sees it listed and free.
  const release = await locks.acquire(clientLockName(lockPrefix, clientId));
  await registry.add(clientId);
  return { clientId, release };
}
