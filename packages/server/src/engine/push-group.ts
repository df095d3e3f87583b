import type { WireMutation } from "@synced-store/core/protocol";
import type { ServerMetrics } from "../metrics/server-metrics.js";
import type { Limits } from "./limits.js";
import { processBatch } from "./process-batch.js";
import type { ClientState, SpaceState, WriteLayer } from "./space-state.js";
import type { StoreRuntime } from "./store-runtime.js";
import type { WireError } from "./wire-error.js";

/** What a push did, for the connection that sent it. */
export interface PushOutcome {
  readonly errors: ReadonlyArray<{ readonly id: number; readonly error: WireError }>;
  /** Set when the batch stopped at a gap: the server's last mutation id for the client. */
  readonly gapAfter?: number;
  /** Set when the push was refused as a whole (nothing of it ran). */
  readonly refused?: WireError;
}

/** A push waiting for its group. */
export interface PendingPush {
  readonly userId: string;
  readonly clientId: string;
  /** The definition version the pushing client runs. */
  readonly schemaVersion: number;
  readonly mutations: readonly WireMutation[];
  /** `performance.now()` when its frame arrived, for the stage histograms. */
  readonly receivedAt: number;
  resolve(outcome: PushOutcome): void;
  reject(error: unknown): void;
}

/** What `processPush` reads. */
export interface PushGroupContext {
  readonly store: StoreRuntime;
  readonly state: SpaceState;
  readonly limits: Limits;
  readonly metrics: ServerMetrics;
}

/**
 * Runs one queued push inside its group's transaction. `writes` and `clients` are the group's
 * overlay (earlier pushes of the group); this push's accepted writes and its client's new last
 * mutation id are added to them. A client id already owned by another user refuses the push.
 */
export async function processPush(
  ctx: PushGroupContext,
  p: PendingPush,
  writes: WriteLayer,
  clients: Map<string, ClientState>,
): Promise<PushOutcome> {
  const known = clients.get(p.clientId) ?? ctx.state.clients.get(p.clientId);
  if (known !== undefined && known.userId !== p.userId) {
    return {
      errors: [],
      refused: { code: "client_id_taken", message: "This client id belongs to another user" },
    };
  }
  const result = await processBatch({
    store: ctx.store,
    state: ctx.state,
    limits: ctx.limits,
    userId: p.userId,
    clientId: p.clientId,
    clientVersion: p.schemaVersion,
    mutations: p.mutations,
    startLastMutationId: known?.lastMutationId ?? 0,
    writes,
  });
  const m = ctx.metrics;
  m.pushes++;
  m.mutationsApplied += result.applied;
  m.mutationsRejectedWith(result.errors);
  m.mutationsSkipped += result.skipped;
  if (result.lastMutationId !== result.startLastMutationId) {
    clients.set(p.clientId, { userId: p.userId, lastMutationId: result.lastMutationId });
  }
  return {
    errors: result.errors,
    ...(result.gapAfter === undefined ? {} : { gapAfter: result.gapAfter }),
  };
}
