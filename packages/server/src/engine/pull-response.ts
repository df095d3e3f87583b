import { canRead } from "@synced-store/core/internal";
import { type PatchOp, type PullResponseMessage } from "@synced-store/core/protocol";
import type { StorageReader } from "../storage/storage.js";

/**
 * The pull response for `userId` at `baseVersion`: what changed since then, filtered for the
 * user, or a full snapshot after a `reset` patch when the base cannot be patched (new client,
 * base older than the tombstone horizon, ahead of the server, or from another history).
 */
export async function pullResponse(
  reader: StorageReader,
  userId: string,
  baseVersion: number,
  forceReset: boolean,
  /** How the client reads values, when it runs an older definition. @default as stored */
  readable?: (key: string, value: unknown) => unknown,
): Promise<PullResponseMessage> {
  const read = readable ?? ((_key: string, value: unknown) => value);
  const head = await reader.head();
  const version = head?.version ?? 0;
  const reset =
    forceReset || baseVersion === 0 || baseVersion > version || baseVersion < (head?.horizon ?? 0);
  const patches: PatchOp[] = [];
  if (reset) {
    patches.push({ op: "reset" });
    for (const row of await reader.snapshot()) {
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
  const clients = await reader.clients({ userId, sinceVersion: reset ? 0 : baseVersion });
  return {
    type: "pull_response",
    min_included_version: reset ? 0 : baseVersion + 1,
    max_included_version: version,
    patches,
    client_id_to_last_mutation_id: Object.fromEntries(clients.map((c) => [c.clientId, c.lastMutationId])),
  };
}
