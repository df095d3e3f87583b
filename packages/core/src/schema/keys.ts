/**
 * Key prefixes that decide visibility:
 * - shared: no prefix, every user of the space reads it;
 * - private: `$$pu/{userId}/…`, only that user;
 * - server-only: `$$so/…`, nobody but server code.
 */

/** Prefix of every private key. */
export const PRIVATE_PREFIX = "$$pu/";
/** Prefix of every server-only key. */
export const SERVER_ONLY_PREFIX = "$$so/";

/** Visibility level of a key. */
export type Visibility = "shared" | "private" | "server-only";

/** The key of `rest` in `userId`'s private area: `$$pu/{userId}/{rest}`. */
export function privateKey<TUser extends string, TRest extends string>(
  userId: TUser,
  rest: TRest,
): `$$pu/${TUser}/${TRest}` {
  if (userId.length === 0 || userId.includes("/")) {
    throw new Error(`Invalid user id for a private key: ${JSON.stringify(userId)}`);
  }
  return `$$pu/${userId}/${rest}`;
}

/** The key of `rest` in the server-only area: `$$so/{rest}`. */
export function serverOnlyKey<TRest extends string>(rest: TRest): `$$so/${TRest}` {
  return `${SERVER_ONLY_PREFIX}${rest}`;
}

/** Whether `key` is server-only. */
export function isServerOnlyKey(key: string): boolean {
  return key.startsWith(SERVER_ONLY_PREFIX);
}

/** The owner of a private key, or undefined when `key` is not private. */
export function privateKeyOwner(key: string): string | undefined {
  if (!key.startsWith(PRIVATE_PREFIX)) return undefined;
  const end = key.indexOf("/", PRIVATE_PREFIX.length);
  return end < 0 ? key.slice(PRIVATE_PREFIX.length) : key.slice(PRIVATE_PREFIX.length, end);
}

/** The visibility level of `key`. */
export function visibilityOf(key: string): Visibility {
  if (isServerOnlyKey(key)) return "server-only";
  if (key.startsWith(PRIVATE_PREFIX)) return "private";
  return "shared";
}

/** Whether `userId` may read `key`. Used on every outbound path of the server. */
export function canRead(userId: string, key: string): boolean {
  if (isServerOnlyKey(key)) return false;
  const owner = privateKeyOwner(key);
  return owner === undefined || owner === userId;
}

/**
 * Whether a mutation run for `userId` may write `key`: shared keys and the user's own private
 * keys always; server-only keys only when the code runs on the server.
 */
export function canWrite(userId: string, key: string, location: "client" | "server"): boolean {
  if (isServerOnlyKey(key)) return location === "server";
  const owner = privateKeyOwner(key);
  return owner === undefined || owner === userId;
}
