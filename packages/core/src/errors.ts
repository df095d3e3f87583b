/**
 * The error classes Synced-Store throws. Each carries a `code` from a string-literal union, so
 * callers can branch on it without parsing messages.
 */

/** Codes for errors raised on the client or the server. Wire codes are a subset (see protocol). */
export type SyncedStoreErrorCode =
  | "invalid_args"
  | "invalid_value"
  | "unknown_key"
  | "invalid_presence"
  | "unknown_mutator"
  | "unknown_action"
  | "mutator_failed"
  | "action_failed"
  | "permission_denied"
  | "offline"
  | "closed"
  | "protocol_error"
  | "mutator_retired"
  | "update_needed"
  | "server_version_behind"
  | "persisted_version_ahead"
  | "unauthenticated"
  | "unauthorized"
  | "client_id_taken"
  | "too_many_clients"
  | "auth_expired"
  | "revoked"
  | "internal";

/** Base class of every error Synced-Store throws. */
export class SyncedStoreError extends Error {
  constructor(
    readonly code: SyncedStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Arguments or a written value failed their zod schema, or a key matches no key family. */
export class ValidationError extends SyncedStoreError {
  constructor(
    code: "invalid_args" | "invalid_value" | "unknown_key" | "invalid_presence",
    message: string,
    /** The zod issues, when zod produced the failure. */
    readonly issues: readonly unknown[] = [],
  ) {
    super(code, message);
  }
}

/** The server rejected a mutation; `confirmed` rejects with this and the rejection stream emits it. */
export class MutationRejectedError extends SyncedStoreError {
  constructor(
    code: SyncedStoreErrorCode,
    message: string,
    readonly mutationId: number,
    readonly mutatorName: string,
  ) {
    super(code, message);
  }
}

/** A write or read broke the visibility rules (another user's `$$pu/` key, a `$$so/` key). */
export class PermissionError extends SyncedStoreError {
  constructor(message: string) {
    super("permission_denied", message);
  }
}

/** An action was called, or a result awaited, while the store had no connection. */
export class OfflineError extends SyncedStoreError {
  constructor(message = "The store is offline") {
    super("offline", message);
  }
}

/** A peer sent something the protocol does not allow. */
export class ProtocolError extends SyncedStoreError {
  constructor(message: string) {
    super("protocol_error", message);
  }
}

/** Turns anything thrown into a `SyncedStoreError`, keeping ours as they are. */
export function toSyncedStoreError(
  error: unknown,
  fallbackCode: SyncedStoreErrorCode = "internal",
): SyncedStoreError {
  if (error instanceof SyncedStoreError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SyncedStoreError(fallbackCode, message, { cause: error });
}
