import {
  LayeredView,
  StoreWriteTransaction,
  type CompiledPattern,
  type Layer,
  type WriteLimits,
} from "@synced-store/core/internal";
import { ValidationError } from "@synced-store/core";
import type { Limits } from "./limits.js";
import { LimitError } from "./wire-error.js";
import type { SpaceState } from "./space-state.js";
import { isStorableText, utf8Length } from "../util/storable-text.js";

/** Who a server transaction runs for, and with which rights. */
export interface ServerTransactionContext {
  readonly userId: string;
  /** The pushing client; `""` for actions. */
  readonly clientId: string;
  /** Actions run with full access: any key, `$$so/` and every user's `$$pu/` included. */
  readonly fullAccess: boolean;
  readonly patterns: readonly CompiledPattern[];
  readonly limits: Pick<Limits, "maxKeyLength" | "maxValueBytes">;
}

/**
 * The transaction mutators and actions get on the server: core's `StoreWriteTransaction` (the
 * one the client runs too) with `location: "server"`, reading the cached space, then the batch's
 * earlier accepted mutations, then its own writes, and adding the storage limits on keys and
 * values. Its `writes` are kept until the engine decides to keep or drop them.
 */
export function serverTransaction(
  ctx: ServerTransactionContext,
  state: SpaceState,
  batch: Layer,
): StoreWriteTransaction {
  return new StoreWriteTransaction(
    {
      userId: ctx.userId,
      clientId: ctx.clientId,
      location: "server",
      fullAccess: ctx.fullAccess,
      limits: storageLimits(ctx.limits),
    },
    new LayeredView(state.values, [batch]),
    ctx.patterns,
  );
}

/** What every storage can hold: keys it returns unchanged, keys and values within the byte limits. */
function storageLimits(limits: Pick<Limits, "maxKeyLength" | "maxValueBytes">): WriteLimits {
  return {
    checkKey(key) {
      if (!isStorableText(key)) {
        throw new ValidationError(
          "unknown_key",
          `Key ${JSON.stringify(key)} holds U+0000 or a lone surrogate`,
        );
      }
      const bytes = utf8Length(key);
      if (bytes > limits.maxKeyLength) {
        throw new LimitError(
          "key_too_large",
          `Key of ${bytes} bytes (UTF-8) is over the limit of ${limits.maxKeyLength}`,
        );
      }
    },
    checkValue(key, json) {
      if (json.length > limits.maxValueBytes) {
        throw new LimitError(
          "value_too_large",
          `Value for ${JSON.stringify(key)} is ${json.length} characters of JSON, over the limit of ${limits.maxValueBytes}`,
        );
      }
    },
  };
}
