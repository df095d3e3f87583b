import type { MutationRejectedError } from "../errors.js";
import type { PendingMutation } from "./pending-mutation.js";

/**
 * What the local store tells an observer (the store's inspector) beyond its change events: which
 * pending mutations the server settled. Called after their `confirmed` settled.
 */
export interface StoreTap {
  /**
   * The server acknowledged `acknowledged` (in id order) at base version `version`; `rejected`
   * holds the rejections among them, or a late rejection of a mutation acknowledged earlier.
   */
  settled(
    acknowledged: readonly PendingMutation[],
    rejected: readonly MutationRejectedError[],
    version: number,
  ): void;
}
