/** Bounds on what one connection may send. Every field is optional in `createSyncServer`. */
export interface Limits {
  /** Largest frame accepted, in bytes (UTF-8); larger frames get `frame_too_large` and a close. @default 1_048_576 */
  readonly maxFrameBytes: number;
  /** Most mutations in one push; more gets `too_many_mutations` and nothing is applied. @default 1000 */
  readonly maxMutationsPerPush: number;
  /**
   * Longest key a mutation or action may write, in UTF-8 bytes (what storage indexes hold; with
   * PostgreSQL, key plus space id must stay under its 2,704-byte index entry limit). @default 1024
   */
  readonly maxKeyLength: number;
  /** Largest value a mutation or action may write, as JSON text length. @default 262_144 */
  readonly maxValueBytes: number;
  /** Messages a connection may send per second (token bucket, burst of the same size). @default 200 */
  readonly messagesPerSecond: number;
  /** Rate-limit violations after which the connection is closed. @default 50 */
  readonly maxRateViolations: number;
  /**
   * A mutator still running after this long is rejected (`mutator_failed`), so one stuck mutator
   * cannot hold its space's queue. @default 5000
   */
  readonly mutatorTimeoutMs: number;
  /** The same for actions, which may call other systems. @default 30000 */
  readonly actionTimeoutMs: number;
  /** Largest presence state of one connection, as JSON, in UTF-8 bytes. @default 4096 */
  readonly maxPresenceBytes: number;
  /** Most clients with presence in one space (so at most this times `maxPresenceBytes` per space). @default 1000 */
  readonly maxPresencePerSpace: number;
  /**
   * Longest error message sent in `mutation_error` or `action_result` and kept for replay, in
   * UTF-8 bytes: a longer one (a mutator name of a megabyte echoed by `unknown_mutator`, a thrown
   * message of any size) is cut and ends with "…". @default 1024
   */
  readonly maxErrorMessageBytes: number;
  /**
   * Deepest nesting of arrays and objects in an HTTP body; a deeper one gets 400 `bad_message`
   * before it is parsed (the adapter re-encodes the messages it carries, recursively).
   * WebSocket frames are parsed once and need no such bound. @default 100
   */
  readonly maxJsonDepth: number;
  /**
   * A connection that has not completed its handshake (sent `connect` and been admitted) this
   * long after it opened is closed with `handshake_timeout`; so is a TCP connection that sends no
   * HTTP request or upgrade in that time. @default 10000
   */
  readonly handshakeTimeoutMs: number;
  /** Rejections kept per client for replay on reconnect (in memory and in storage), newest first. @default 100 */
  readonly rejectionsPerClient: number;
  /** The same in bytes (client id, code and message in UTF-8, plus 16 per rejection). @default 65_536 */
  readonly rejectionBytesPerClient: number;
  /** Rejections kept per space, over all its clients: older ones are collected first. @default 1000 */
  readonly rejectionsPerSpace: number;
  /** The same in bytes. @default 262_144 */
  readonly rejectionBytesPerSpace: number;
  /**
   * Client ids one user may bind in one space (each binding is a stored row, written at the
   * client's first `connect`); a new one past it is refused with `too_many_clients`. A row holds
   * at most 200 characters of client id and 256 bytes of user id, so this bounds bytes as well.
   * @default 1000
   */
  readonly maxClientsPerUser: number;
  /**
   * How long before a connection's credential expires (`authenticate`'s `expiresAt`) the server
   * asks the client for a fresh one (`auth_refresh`); for a credential that lives less than twice
   * this, halfway to its expiry. @default 60000
   */
  readonly authRefreshLeadMs: number;
  /**
   * HTTP requests one user may make per second, over all their clients and requests (token
   * bucket, burst of the same size); more get 429 with `Retry-After`. 0 turns it off. @default 120
   */
  readonly httpRequestsPerSecondPerUser: number;
  /** The same per client id, checked before authentication. 0 turns it off. @default 60 */
  readonly httpRequestsPerSecondPerClient: number;
  /** Users, and separately client ids, whose HTTP rate is tracked (least recently used forgotten). @default 10_000 */
  readonly httpRateBuckets: number;
  /** The same in bytes (id in UTF-16 plus 64 per bucket), for each of the two. @default 1_048_576 */
  readonly httpRateBucketBytes: number;
}

/** The defaults of `Limits`. */
export const defaultLimits: Limits = {
  maxFrameBytes: 1_048_576,
  maxMutationsPerPush: 1000,
  maxKeyLength: 1024,
  maxValueBytes: 262_144,
  messagesPerSecond: 200,
  maxRateViolations: 50,
  mutatorTimeoutMs: 5000,
  actionTimeoutMs: 30_000,
  maxPresenceBytes: 4096,
  maxPresencePerSpace: 1000,
  maxErrorMessageBytes: 1024,
  maxJsonDepth: 100,
  handshakeTimeoutMs: 10_000,
  rejectionsPerClient: 100,
  rejectionBytesPerClient: 65_536,
  rejectionsPerSpace: 1000,
  rejectionBytesPerSpace: 262_144,
  maxClientsPerUser: 1000,
  authRefreshLeadMs: 60_000,
  httpRequestsPerSecondPerUser: 120,
  httpRequestsPerSecondPerClient: 60,
  httpRateBuckets: 10_000,
  httpRateBucketBytes: 1_048_576,
};

/** `defaultLimits` with `overrides` applied. */
export function resolveLimits(overrides: Partial<Limits> = {}): Limits {
  return { ...defaultLimits, ...overrides };
}
