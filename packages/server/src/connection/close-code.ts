/** WebSocket close codes the server uses. */
export const CloseCode = {
  policy: 1008,
  serviceRestart: 1012,
  tooBig: 1009,
  badRequest: 4400,
  unauthenticated: 4401,
  unauthorized: 4403,
  unknownSpace: 4404,
  /** The client id is bound to another user (at that user's first `connect`). */
  clientIdTaken: 4409,
  /** The user has bound `maxClientsPerUser` client ids in the space. */
  tooManyClients: 4429,
  /** The app ended the user's connections (`SyncServer.disconnect`): reconnect with fresh auth. */
  revoked: 4410,
  /** The connection's credential expired with no fresh one sent (`auth`): reconnect with fresh auth. */
  authExpired: 4419,
  /** No `connect` completed within `handshakeTimeoutMs` of opening. */
  handshakeTimeout: 4408,
  /** The client runs a version of the app the server no longer serves (or not yet). */
  versionMismatch: 4426,
} as const;

/** One of the server's close codes. */
export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];
