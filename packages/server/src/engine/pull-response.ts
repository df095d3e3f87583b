import { canRead } from "@synced-store/core/internal";
import { type PatchOp, type PullResponseMessage, type SnapshotResume } from "@synced-store/core/protocol";
import type { StorageReader } from "../storage/storage.js";

/**
 * The pull response for `userId` at `baseVersion`: what changed since then, filtered for the
 * user, or a full snapshot after a `reset` patch when the base cannot be patched (new client,
 * base older than the tombstone horizon, ahead of the server, or from another history).
 *
 * With `resume` (a snapshot a cut connection interrupted) and the space still at its version,
 * the snapshot goes on after its key, without `reset`: the client keeps the parts it has. At any
 * other version the parts it has are stale and a whole snapshot starts again.
 */
export async function pullResponse(
  reader: StorageReader,
  userId: string,
  baseVersion: number,
  forceReset: boolean,
  /** How the client reads values, when it runs an older definition. @default as stored */
  readable?: (key: string, value: unknown) => unknown,
  resume?: SnapshotResume,
): Promise<PullResponseMessage> {
  const read = readable ?? ((_key: string, value: unknown) => value);
  const head = await reader.head();
  const version = head?.version ?? 0;
  const resumed = resume !== undefined && resume.version === version && version > 0;
  const reset =
    resumed || forceReset || baseVersion === 0 || baseVersion > version || baseVersion < (head?.horizon ?? 0);
  const patches: PatchOp[] = [];
  if (reset) {
    if (!resumed) patches.push({ op: "reset" });
    const after = resumed ? resume.after_key : undefined;
    for (const row of await reader.snapshot()) {
      if (after !== undefined && row.key <= after) continue;
      if (canRead(userId, row.key))
        patches.push({ op: "set", key: row.key, value: read(row.key, row.value) });
    }
  } else if (baseVersion < version) {
    for (const c of await reader.changesSince(baseVersion)) {
      if (!canRead(userId, c.key)) continue;
      patches.push(
        c.deleted ? { op: "del", key: c.key } : { op: "set", key: c.key, value: read(c.key, c.value) },
      );
    }
  }
  // Rows of clients that connected but pushed nothing (id 0) acknowledge nothing.
  const clients = (await reader.clients({ userId, sinceVersion: reset ? 0 : baseVersion })).filter(
    (c) => c.lastMutationId > 0,
  );
  return {
    type: "pull_response",
    min_included_version: reset ? 0 : baseVersion + 1,
    max_included_version: version,
    patches,
    client_id_to_last_mutation_id: Object.fromEntries(clients.map((c) => [c.clientId, c.lastMutationId])),
  };
}
