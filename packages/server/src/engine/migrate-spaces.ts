import type { Logger } from "../logger.js";
import type { Storage } from "../storage/storage.js";
import { migrateSpace } from "./migrate-space.js";
import type { StoreRuntime } from "./store-runtime.js";

/** What `migrateSpaces` did, over every stored space of the given stores. */
export interface MigrationReport {
  readonly spaces: number;
  /** Spaces whose data was carried to the store's version by this call. */
  readonly migrated: number;
  /** Spaces already at the store's version. */
  readonly current: number;
  /** Spaces whose data is of a newer version than the store's (left as they are). */
  readonly newer: number;
  readonly failed: ReadonlyArray<{ readonly spaceId: string; readonly error: string }>;
}

/**
 * Migrates every stored space of `stores` to its store's version, one transaction per space (see
 * `migrateSpace`), e.g. before a deploy opens them to clients. A space that fails is reported and
 * left unchanged; the others go on. `onCommit` hears each version a migration committed.
 */
export async function migrateSpaces(
  storage: Storage,
  stores: Iterable<StoreRuntime>,
  logger: Logger,
  onCommit: (spaceId: string, version: number) => void,
): Promise<MigrationReport> {
  let spaces = 0;
  let migrated = 0;
  let current = 0;
  let newer = 0;
  const failed: Array<{ spaceId: string; error: string }> = [];
  for (const store of stores) {
    for (const spaceId of await storage.spaces(`${store.name}/`)) {
      spaces++;
      try {
        const result = await storage.transact(spaceId, (tx) => migrateSpace(tx, store, spaceId));
        if (result.kind === "current") current++;
        else if (result.kind === "newer") newer++;
        else {
          migrated++;
          logger.info("space migrated", {
            space: spaceId,
            from: result.from,
            to: store.version,
            keys: result.writes,
          });
          if (result.committedAt !== undefined) onCommit(spaceId, result.committedAt);
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        logger.error("space migration failed", { space: spaceId, error: message });
        failed.push({ spaceId, error: message });
      }
    }
  }
  return { spaces, migrated, current, newer, failed };
}
