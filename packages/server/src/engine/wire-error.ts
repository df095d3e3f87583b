import { SyncedStoreError } from "@synced-store/core";
import { type WireErrorCode, wireErrorCode } from "@synced-store/core/protocol";

/** A write over a size limit. */
export class LimitError extends Error {
  constructor(
    readonly code: "key_too_large" | "value_too_large",
    message: string,
  ) {
    super(message);
    this.name = "LimitError";
  }
}

/** A code and message fit for the wire. */
export interface WireError {
  readonly code: WireErrorCode;
  readonly message: string;
}

/**
 * Turns anything a mutator or an action threw into a wire error. Our typed errors keep their
 * code; anything else becomes `fallback` with the thrown message (the app's own words, meant for
 * the user who caused it: it goes to the originating client only).
 */
export function toWireError(error: unknown, fallback: "mutator_failed" | "action_failed"): WireError {
  if (error instanceof LimitError) return { code: error.code, message: error.message };
  if (error instanceof SyncedStoreError) {
    const parsed = wireErrorCode.safeParse(error.code);
    return { code: parsed.success ? parsed.data : fallback, message: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: fallback, message };
}

/** A stored code and message as a wire error (an unknown code becomes `mutator_failed`). */
export function toWireErrorCode(code: string, message: string): WireError {
  const parsed = wireErrorCode.safeParse(code);
  return { code: parsed.success ? parsed.data : "mutator_failed", message };
}
