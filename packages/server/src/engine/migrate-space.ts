import type { Entry, MigrationTransaction } from "@synced-store/core";
import { deepEqual, upgradeEntries, validateValue } from "@synced-store/core/internal";
import type { KeyWrite, SpaceHead, StorageTransaction } from "../storage/storage.js";
import type { StoreRuntime } from "./store-runtime.js";

/** What `migrateSpace` did. */
export type SpaceMigration =
  | { readonly kind: "current"; readonly head: SpaceHead }
  /** The data is of a newer version than this server's (a rollback): served as it is. */
  | { readonly kind: "newer"; readonly head: SpaceHead; readonly dataVersion: number }
  | {
      readonly kind: "migrated";
      readonly head: SpaceHead;
      readonly from: number;
      /** The version the migration committed its writes at; undefined when nothing changed. */
      readonly committedAt: number | undefined;
      readonly writes: number;
    };

/** The definition version a space's data has (a space nothing stamped yet is new, or from before versions). */
export function dataVersion(head: SpaceHead, current: number): number {
  if (head.schemaVersion > 0) return head.schemaVersion;
  return head.version === 0 ? current : 1;
}

/**
 * Carries one space's stored data to the store's version, inside the caller's transaction: each
 * step's `values` over every stored entry, then its `migrate`, in version order; the final
 * values are checked against the store's schemas, written as one new version (only what
 * changed), and the space records its new schema version in the same transaction, so a
 * migration runs once however many processes open the space (storage serializes transactions of
 * a space across processes) and a failed one changes nothing.
 */
export async function migrateSpace(
  tx: StorageTransaction,
  store: StoreRuntime,
  spaceId: string,
): Promise<SpaceMigration> {
  const head = await tx.head();
  const from = dataVersion(head, store.version);
  if (from > store.version) return { kind: "newer", head, dataVersion: from };
  if (from === store.version) {
    if (head.schemaVersion === from) return { kind: "current", head };
    await tx.setSchemaVersion(from);
    return { kind: "current", head: { ...head, schemaVersion: from } };
  }
  const stored = new Map<string, unknown>((await tx.snapshot()).map((row) => [row.key, row.value]));
  let entries = stored;
  for (let v = from + 1; v <= store.version; v++) {
    entries = upgradeEntries(store.upgrades, v - 1, v, entries);
    const migrate = store.upgrades[v]?.migrate;
    if (migrate !== undefined) await migrate(migrationTransaction(entries), { spaceId });
  }
  const writes: KeyWrite[] = [];
  for (const [key, value] of entries) {
    const checked = validateValue(store.patterns, key, value);
    if (!stored.has(key) || !deepEqual(stored.get(key), checked)) {
      writes.push({ key, deleted: false, value: JSON.parse(JSON.stringify(checked ?? null)) as unknown });
    }
  }
  for (const key of stored.keys()) if (!entries.has(key)) writes.push({ key, deleted: true });
  let committedAt: number | undefined;
  if (writes.length > 0) {
    committedAt = head.version + 1;
    await tx.putKeys(committedAt, writes);
    await tx.setVersion(committedAt);
  }
  await tx.setSchemaVersion(store.version);
  return {
    kind: "migrated",
    head: { ...head, version: committedAt ?? head.version, schemaVersion: store.version },
    from,
    committedAt,
    writes: writes.length,
  };
}

/** A `MigrationTransaction` over the entries being migrated (written back by `migrateSpace`). */
function migrationTransaction(entries: Map<string, unknown>): MigrationTransaction {
  return {
    scan: (prefix = "") =>
      Promise.resolve(
        [...entries]
          .filter(([key]) => key.startsWith(prefix))
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) as Entry[],
      ),
    get: (key) => Promise.resolve(entries.get(key)),
    set: (key, value) => {
      entries.set(key, value);
      return Promise.resolve();
    },
    del: (key) => {
      entries.delete(key);
      return Promise.resolve();
    },
  };
}
