import { SyncedStoreError } from "@synced-store/core";
import { type WireErrorCode, wireErrorCode } from "@synced-store/core/protocol";
import { cutText } from "../util/cut-text.js";
import { storableText } from "../util/storable-text.js";
import { defaultLimits } from "./limits.js";

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
 * the user who caused it: it goes to the originating client only). The message is cut to
 * `maxMessageBytes`: it may echo a client's input of any size, and it is kept for replay (with
 * U+FFFD for any U+0000 or lone surrogate, which storage cannot keep as they are).
 */
export function toWireError(
  error: unknown,
  fallback: "mutator_failed" | "action_failed",
  maxMessageBytes = defaultLimits.maxErrorMessageBytes,
): WireError {
  const { code, message } = uncutWireError(error, fallback);
  // Kept as it is sent: a U+0000 or lone surrogate would fail (PostgreSQL) or change in storage.
  return { code, message: cutText(storableText(message), maxMessageBytes) };
}

function uncutWireError(error: unknown, fallback: "mutator_failed" | "action_failed"): WireError {
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

/** Longest name quoted in an error message, in UTF-8 bytes (names come from clients). */
const QUOTED_NAME_BYTES = 128;

/** A mutator or action name as error messages quote it: JSON-quoted, cut to 128 bytes. */
export function quoteName(name: string): string {
  return JSON.stringify(cutText(name, QUOTED_NAME_BYTES));
}
