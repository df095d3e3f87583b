import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestInfo } from "../connection/hooks.js";

/** Shortest admin token accepted: anything shorter is guessable. */
export const MIN_ADMIN_TOKEN_LENGTH = 16;

/** Throws unless `token` is long enough to protect the admin endpoint. */
export function checkAdminToken(token: string): string {
  if (token.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new Error(`The admin token must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters long`);
  }
  return token;
}

/**
 * Whether `presented` equals `expected`, in time that does not depend on where they differ or
 * on their lengths: both are hashed to 32 bytes and compared with `timingSafeEqual`.
 */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = createHash("sha256").update(expected).digest();
  const b = createHash("sha256").update(presented).digest();
  return timingSafeEqual(a, b);
}

/**
 * The token a request presents: `Authorization: Bearer <token>`, or the password of
 * `Authorization: Basic` (what a browser sends after its login prompt). Never the URL, which
 * ends up in logs and browser history.
 */
export function presentedToken(request: RequestInfo): string | undefined {
  const header = request.headers["authorization"];
  const value: unknown = Array.isArray(header) ? (header as readonly string[])[0] : header;
  if (typeof value !== "string") return undefined;
  const [scheme, credentials] = value.trim().split(/\s+/, 2);
  if (credentials === undefined) return undefined;
  if (scheme?.toLowerCase() === "bearer") return credentials;
  if (scheme?.toLowerCase() !== "basic") return undefined;
  const decoded = Buffer.from(credentials, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}
