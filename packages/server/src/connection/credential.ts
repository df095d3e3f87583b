import { isStorableText, utf8Length } from "../util/storable-text.js";
import type { HandlerEnvironment } from "./handler-environment.js";
import type { AuthenticateRequest } from "./hooks.js";

/** Longest user id `authenticate` may return, in UTF-8 bytes (it is stored with every client row). */
export const MAX_USER_ID_BYTES = 256;

/** Who a credential names, and until when it holds. */
export type Credential =
  | { readonly ok: true; readonly userId: string; readonly expiresAt: number | undefined }
  | { readonly ok: false; readonly code: "unauthenticated" | "auth_expired"; readonly message: string };

/**
 * Runs the `authenticate` hook on a credential (from `connect`, or an `auth` refresh) and checks
 * what it returns: a usable user id, and an expiry that has not passed.
 */
export async function authenticateCredential(
  env: HandlerEnvironment,
  request: AuthenticateRequest,
): Promise<Credential> {
  let result: Awaited<ReturnType<NonNullable<HandlerEnvironment["hooks"]["authenticate"]>>>;
  try {
    const authenticate = env.hooks.authenticate ?? ((r) => r.auth);
    result = await authenticate(request);
  } catch (error) {
    return {
      ok: false,
      code: "unauthenticated",
      message: `Authentication failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const userId = typeof result === "string" ? result : result?.userId;
  const expiresAt = typeof result === "object" ? result.expiresAt : undefined;
  if (
    typeof userId !== "string" ||
    userId.length === 0 ||
    userId.includes("/") ||
    !isStorableText(userId) ||
    utf8Length(userId) > MAX_USER_ID_BYTES
  ) {
    return { ok: false, code: "unauthenticated", message: "Authentication failed: no valid user id" };
  }
  if (expiresAt !== undefined && !(expiresAt > wallClock(env)())) {
    return { ok: false, code: "auth_expired", message: "The credential has expired; sign in again" };
  }
  return { ok: true, userId, expiresAt };
}

/** The clock expiries are read on (ms since the epoch). */
export function wallClock(env: HandlerEnvironment): () => number {
  return env.wallClock ?? Date.now;
}
