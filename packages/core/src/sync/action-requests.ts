import { OfflineError, SyncedStoreError, type SyncedStoreErrorCode } from "../errors.js";
import type { ActionResultMessage, WireErrorCode } from "../protocol/messages.js";

const LOCAL_CODES: ReadonlySet<string> = new Set<SyncedStoreErrorCode>([
  "invalid_args",
  "invalid_value",
  "unknown_key",
  "unknown_mutator",
  "unknown_action",
  "mutator_failed",
  "action_failed",
  "permission_denied",
  "update_needed",
  "server_version_behind",
  "mutator_retired",
  "unauthenticated",
  "unauthorized",
  "client_id_taken",
  "too_many_clients",
  "auth_expired",
  "revoked",
  "internal",
]);

/** The client-side error for a wire error code: the same code where ours has it, else `protocol_error`. */
export function errorFromWire(code: WireErrorCode, message: string): SyncedStoreError {
  const local = LOCAL_CODES.has(code) ? (code as SyncedStoreErrorCode) : "protocol_error";
  return new SyncedStoreError(local, message);
}

interface Waiter {
  readonly name: string;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Actions awaiting their `action_result`, by request id. Actions are not replayed: one whose
 * connection drops before the result arrives rejects with `OfflineError`, since the client cannot
 * know whether the server ran it.
 */
export class ActionRequests {
  private readonly waiting = new Map<string, Waiter>();
  private nextId = 1;

  constructor(private readonly idPrefix: string) {}

  /** Registers a request; returns its id and the promise of its result. */
  begin(name: string): { requestId: string; result: Promise<unknown> } {
    const requestId = `${this.idPrefix}:${this.nextId++}`;
    const result = new Promise<unknown>((resolve, reject) => {
      this.waiting.set(requestId, { name, resolve, reject });
    });
    return { requestId, result };
  }

  /** Settles the request an `action_result` answers; unknown ids are ignored (already failed). */
  settle(message: ActionResultMessage): void {
    const waiter = this.waiting.get(message.request_id);
    if (waiter === undefined) return;
    this.waiting.delete(message.request_id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(errorFromWire(message.error.code, message.error.message));
  }

  /** Rejects one request (e.g. it could not be sent). */
  fail(requestId: string, error: unknown): void {
    const waiter = this.waiting.get(requestId);
    if (waiter === undefined) return;
    this.waiting.delete(requestId);
    waiter.reject(error);
  }

  /** Rejects every outstanding request: the connection they were sent on is gone. */
  failAll(reason: string): void {
    const waiters = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiters) w.reject(new OfflineError(`Action ${w.name}: ${reason}`));
  }

  get size(): number {
    return this.waiting.size;
  }
}
