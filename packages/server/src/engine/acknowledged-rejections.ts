import type { PullResponseMessage } from "@synced-store/core/protocol";
import type { RejectionBounds, RejectionRow, StorageReader } from "../storage/storage.js";
import { boundedRejections, type Rejection, type RejectionLog } from "./rejection-log.js";
import { toWireErrorCode } from "./wire-error.js";

/**
 * Kept rejections of `clientId` after mutation id `afterId`, in id order: from storage when it
 * keeps them (they survive restarts and reach other processes), else from this process's `log`.
 */
export async function keptRejections(
  reader: StorageReader,
  log: RejectionLog,
  clientId: string,
  afterId: number,
): Promise<Rejection[]> {
  if (reader.rejections === undefined) return log.after(clientId, afterId);
  return (await reader.rejections(clientId, afterId)).map(toRejection);
}

/**
 * The stored rejections that a catch-up acknowledges to the clients of `connected`: mutations
 * another process rejected, which this process's log never saw, so that the poke of the
 * catch-up carries them as that process's poke does. Empty when storage keeps no rejections.
 * `acknowledged` maps each caught-up client to its last mutation id before and after.
 */
export async function caughtUpRejections(
  reader: StorageReader,
  connected: Iterable<{ readonly clientId: string }>,
  acknowledged: {
    readonly before: ReadonlyMap<string, number>;
    readonly after: ReadonlyMap<string, { readonly lastMutationId: number }>;
  },
): Promise<Map<string, Rejection[]>> {
  const out = new Map<string, Rejection[]>();
  if (reader.rejections === undefined || acknowledged.before.size === 0) return out;
  for (const { clientId } of connected) {
    const before = acknowledged.before.get(clientId);
    const after = acknowledged.after.get(clientId)?.lastMutationId;
    if (before === undefined || after === undefined || after <= before || out.has(clientId)) continue;
    const rows = await reader.rejections(clientId, before);
    const list = rows.filter((r) => r.mutationId <= after).map(toRejection);
    if (list.length > 0) out.set(clientId, list);
  }
  return out;
}

function toRejection(row: RejectionRow): Rejection {
  return { id: row.mutationId, error: toWireErrorCode(row.code, row.message) };
}

/**
 * The rejections a pull response carries for a client that has acknowledged up to `afterId`:
 * its kept rejections that `response` acknowledges, within the per-client `bounds`. Read with
 * the response (same storage read, same turn of the space's queue), so they match its
 * acknowledgement.
 */
export async function acknowledgedRejections(options: {
  readonly reader: StorageReader;
  readonly log: RejectionLog;
  readonly clientId: string;
  readonly afterId: number;
  readonly response: PullResponseMessage;
  readonly bounds: RejectionBounds;
}): Promise<Rejection[]> {
  const { reader, log, clientId, afterId, response, bounds } = options;
  const ids = response.client_id_to_last_mutation_id;
  const upTo = Object.hasOwn(ids, clientId) ? ids[clientId]! : 0;
  if (upTo <= afterId) return [];
  const kept = await keptRejections(reader, log, clientId, afterId);
  return boundedRejections(
    clientId,
    kept.filter((r) => r.id <= upTo),
    bounds,
  );
}
