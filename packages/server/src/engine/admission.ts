import type { ClientState } from "./space-state.js";
import type { Rejection } from "./rejection-log.js";

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

/**
 * A connecting client refused by the space: its id is bound to another user, or its user has
 * bound `maxClientsPerUser` client ids in the space already.
 */
export interface Refused {
  readonly ok: false;
  readonly reason: "client_of_another_user" | "too_many_clients";
}

/** A space's answer to a connecting client, with the rejections it may have missed. */
export type Admission =
  | (Admitted & {
      /** Rejections the client may have missed (it disconnected before their `mutation_error`). */
      readonly missed: readonly Rejection[];
    })
  | Refused;

/** The space as admission sees it: its head and the stored row of the connecting client. */
export interface AdmissionView {
  readonly historyId: string;
  readonly version: number;
  /** The client's row (undefined: it never connected; the space binds it to the request's user). */
  readonly client: ClientState | undefined;
}

/**
 * Decides whether a connecting client's state can be patched or must be reset. A client id
 * bound to another user is refused: the binding is made at the first `connect`, so whoever
 * learns an id later cannot take it over.
 */
export function admit(view: AdmissionView, request: AdmissionRequest): Admitted | Refused {
  const known = view.client;
  if (known !== undefined && known.userId !== request.userId) {
    return { ok: false, reason: "client_of_another_user" };
  }
  const lastMutationId = known?.lastMutationId ?? 0;
  const reset =
    (request.historyId !== null && request.historyId !== view.historyId) ||
    request.baseVersion > view.version ||
    request.lastMutationId > lastMutationId;
  return { ok: true, historyId: view.historyId, version: view.version, lastMutationId, reset };
}
