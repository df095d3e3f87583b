/** WebSocket close codes the server uses. */
export const CloseCode = {
  policy: 1008,
  serviceRestart: 1012,
  tooBig: 1009,
  badRequest: 4400,
  unauthenticated: 4401,
  unauthorized: 4403,
  unknownSpace: 4404,
  /** No `connect` completed within `handshakeTimeoutMs` of opening. */
  handshakeTimeout: 4408,
  /** The client runs a version of the app the server no longer serves (or not yet). */
  versionMismatch: 4426,
} as const;

/** One of the server's close codes. */
export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];
