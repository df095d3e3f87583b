import type { IncomingMessage, ServerResponse } from "node:http";
import type { Authenticated, AuthenticateRequest } from "@synced-store/server";
import { jwtVerify, SignJWT } from "jose";

/** User ids the demo accepts: what the client's `toUserId` makes of a picked name. */
export const USER_ID = /^[a-z0-9-]{1,32}$/;

/** The environment variable holding the secret tokens are signed with. */
export const AUTH_SECRET_ENV = "SYNCED_STORE_AUTH_SECRET";

/** The secret `pnpm dev` and the tests sign with when the environment gives none. Never deploy it. */
const DEV_SECRET = "synced-store-todo-development-secret-not-for-deploys";

/**
 * The signing secret: `SYNCED_STORE_AUTH_SECRET` (at least 32 characters). In development a fixed
 * secret stands in when it is unset; anywhere else a missing or short secret stops the server.
 */
export function authSecret(env: Readonly<Record<string, string | undefined>>, dev: boolean): string {
  const secret = env[AUTH_SECRET_ENV];
  if (secret !== undefined && secret.length >= 32) return secret;
  if (secret === undefined && dev) return DEV_SECRET;
  throw new Error(`Set ${AUTH_SECRET_ENV} to a random secret of at least 32 characters`);
}

/** Options of {@link todoAuth}. */
export interface TodoAuthOptions {
  readonly secret: string;
  /** Lifetime of a token; the client is asked for a fresh one before it ends. @default 3600 */
  readonly ttlSeconds?: number;
}

/** The todo app's signed, expiring tokens: the sign-in endpoint, and the sync server's check. */
export interface TodoAuth {
  /** A token for `userId`, valid for `ttlSeconds`. */
  readonly issue: (userId: string) => Promise<{ token: string; expiresAt: number }>;
  /** The sync server's `authenticate` hook: the token's user and expiry, or a refusal. */
  readonly authenticate: (request: AuthenticateRequest) => Promise<Authenticated>;
  /**
   * `POST /auth/login` with `{ "name": "<user id>" }` answers `{ "token", "expires_at" }`; other
   * requests resolve to false. The demo's sign-in takes the picked name as it is: a real app
   * checks a password or its identity provider here, and signs only then.
   */
  readonly handleLogin: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}

const ISSUER = "synced-store-todo";

/** Signs and checks the todo app's tokens (HS256 JWTs, `sub` the user id). */
export function todoAuth(options: TodoAuthOptions): TodoAuth {
  const key = new TextEncoder().encode(options.secret);
  const ttl = options.ttlSeconds ?? 3600;
  const issue = async (userId: string) => {
    const expiresAt = (Math.floor(Date.now() / 1000) + ttl) * 1000;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(expiresAt / 1000)
      .sign(key);
    return { token, expiresAt };
  };
  return {
    issue,
    authenticate: async ({ auth }) => {
      if (auth === undefined) throw new Error("No token: sign in first");
      const { payload } = await jwtVerify(auth, key, { issuer: ISSUER, algorithms: ["HS256"] });
      if (typeof payload.sub !== "string" || !USER_ID.test(payload.sub) || payload.exp === undefined) {
        throw new Error("The token names no valid user");
      }
      return { userId: payload.sub, expiresAt: payload.exp * 1000 };
    },
    handleLogin: async (req, res) => {
      if (req.url?.split("?")[0] !== "/auth/login") return false;
      if (req.method !== "POST") return answer(res, 405, { error: "Use POST" });
      const name = await readName(req);
      if (name === undefined || !USER_ID.test(name)) {
        return answer(res, 400, { error: "Send { name } with 1 to 32 of a-z, 0-9 and -" });
      }
      const { token, expiresAt } = await issue(name);
      return answer(res, 200, { token, expires_at: expiresAt });
    },
  };
}

function answer(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
  return true;
}

/** The `name` of a small JSON body, or undefined (over 1 KiB, not JSON, no string name). */
async function readName(req: IncomingMessage): Promise<string | undefined> {
  let body = "";
  for await (const chunk of req as AsyncIterable<Buffer>) {
    body += chunk.toString();
    if (body.length > 1024) return undefined;
  }
  try {
    const parsed = JSON.parse(body) as { name?: unknown };
    return typeof parsed.name === "string" ? parsed.name : undefined;
  } catch {
    return undefined;
  }
}
