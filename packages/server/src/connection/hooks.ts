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
   * Returns the user id of a connecting client, or throws / returns undefined to refuse it
   * (`error` `unauthenticated`, then close with the thrown message as the reason).
   * User ids must be non-empty and contain no `/`.
   * @default the `auth` string itself is the user id: for development only
   */
  authenticate?: (request: AuthenticateRequest) => string | undefined | Promise<string | undefined>;
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
