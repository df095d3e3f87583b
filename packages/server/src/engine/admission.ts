import type { Rejection } from "./rejection-log.js";
import type { SpaceState } from "./space-state.js";

/** What a connecting client says of its state (its `connect` message, with its user). */
export interface AdmissionRequest {
  readonly clientId: string;
  readonly userId: string;
  readonly historyId: string | null;
  readonly baseVersion: number;
  readonly lastMutationId: number;
}

/** The space's state a connecting client starts from. */
export interface Admitted {
  readonly ok: true;
  readonly historyId: string;
  readonly version: number;
  /** The server's last processed mutation id of this client (0 when new). */
  readonly lastMutationId: number;
  /** The client's state is from another history or ahead of the server: reset it on its next pull. */
  readonly reset: boolean;
}

/** A connecting client refused by the space. */
export interface Refused {
  readonly ok: false;
  readonly reason: "client_of_another_user";
}

/** A space's answer to a connecting client, with the rejections it may have missed. */
export type Admission =
  | (Admitted & {
      /** Rejections the client may have missed (it disconnected before their `mutation_error`). */
      readonly missed: readonly Rejection[];
    })
  | Refused;

/**
 * Decides, against the space's current state, whether a connecting client's state can be
 * patched or must be reset. A client id the space knows for another user is refused.
 */
export function admit(state: SpaceState, request: AdmissionRequest): Admitted | Refused {
  const known = state.clients.get(request.clientId);
  if (known !== undefined && known.userId !== request.userId) {
    return { ok: false, reason: "client_of_another_user" };
  }
  const lastMutationId = known?.lastMutationId ?? 0;
  const reset =
    (request.historyId !== null && request.historyId !== state.historyId) ||
    request.baseVersion > state.version ||
    request.lastMutationId > lastMutationId;
  return { ok: true, historyId: state.historyId, version: state.version, lastMutationId, reset };
}
