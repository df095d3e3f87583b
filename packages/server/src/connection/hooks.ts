/** What the transport knows of the request that opened a connection. */
export interface RequestInfo {
  /** Request headers, lower-case names (the WebSocket upgrade request, or the HTTP request). */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly remoteAddress?: string;
  readonly url?: string;
  /**
   * `"http"`: the connection is one request of a polling client (HTTP fallback), so presence it
   * sets is held on a lease that the client's requests renew. @default a lasting connection
   */
  readonly transport?: "websocket" | "http";
  /**
   * The transport's gate once authentication has named the user, before authorization and
   * admission (the HTTP adapter's per-user rate limit): a returned message refuses the connect
   * with `rate_limited` (close 1008). @default admits everyone
   */
  readonly admitUser?: (userId: string) => string | undefined;
}

/** Input of the `authenticate` hook. */
export interface AuthenticateRequest {
  /** The `auth` field of the client's `connect` message (e.g. a token). */
  readonly auth: string | undefined;
  /** The space the client asks for, `{store}/{instance}`. */
  readonly spaceId: string;
  readonly clientId: string;
  readonly request: RequestInfo;
}

/**
 * What `authenticate` returns for a valid credential: the user id, or the user id with the time
 * the credential expires. Before it, the server asks the client for a fresh credential
 * (`auth_refresh`); at it, a connection that sent none closes with `auth_expired`.
 */
export type Authenticated =
  | string
  | {
      readonly userId: string;
      /** Milliseconds since the epoch (as `Date.now()`, or a JWT's `exp` times 1000). @default never */
      readonly expiresAt?: number;
    };

/** Who a connection is, passed to `onConnect` / `onDisconnect`. */
export interface ConnectionInfo {
  readonly userId: string;
  readonly spaceId: string;
  readonly clientId: string;
  /** The version of the store definition the client runs (its `schema_version`). */
  readonly schemaVersion: number;
}

/** The server's hooks; every one may be async. */
export interface ServerHooks {
  /**
   * Returns the user id of a connecting client (optionally with when its credential expires), or
   * throws / returns undefined to refuse it (`error` `unauthenticated`, then close with the thrown
   * message as the reason). Also runs on each fresh credential a connection sends (`auth`), which
   * must name the same user. User ids must be non-empty, contain no `/`, and fit 256 UTF-8 bytes.
   * @default the `auth` string itself is the user id: for development only
   */
  authenticate?: (
    request: AuthenticateRequest,
  ) => Authenticated | undefined | Promise<Authenticated | undefined>;
  /** Whether `userId` may use `spaceId`; false refuses (`unauthorized`, then close). @default always */
  authorize?: (userId: string, spaceId: string) => boolean | Promise<boolean>;
  /** A client finished its handshake. */
  onConnect?: (info: ConnectionInfo) => void | Promise<void>;
  /** A client's connection ended. */
  onDisconnect?: (info: ConnectionInfo) => void | Promise<void>;
  /**
   * Whether `viewer` may see `subject`'s presence (e.g. hide a user from those they blocked). Runs
   * whenever presence goes out, so it must be synchronous and quick; when it turns false, the
   * subject's presence is removed for that viewer. Throwing hides. @default everyone sees everyone
   */
  presenceVisible?: (
    subject: Omit<ConnectionInfo, "schemaVersion">,
    viewer: Omit<ConnectionInfo, "schemaVersion">,
  ) => boolean;
}
