import { z } from "zod";
import { readLastMutationIds } from "./last-mutation-ids.js";

/**
 * The wire protocol: JSON messages over WebSocket, the same bodies over HTTP. Wire names are
 * snake_case and stable; docs/PROTOCOL.md describes them and must change with this file.
 */

/** Current protocol version, sent nowhere yet; bump with incompatible changes. */
export const PROTOCOL_VERSION = 1;

const jsonValue: z.ZodType<unknown> = z.unknown();

/** One mutation as pushed by a client. */
export const wireMutation = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  args: jsonValue,
  timestamp: z.number(),
});
export type WireMutation = z.infer<typeof wireMutation>;

/** A change to apply to a client's base state. */
export const patchOp = z.discriminatedUnion("op", [
  z.object({ op: z.literal("set"), key: z.string(), value: jsonValue }),
  z.object({ op: z.literal("del"), key: z.string() }),
  z.object({ op: z.literal("reset") }),
]);
export type PatchOp = z.infer<typeof patchOp>;

// ---- client → server ----

export const connectMessage = z.object({
  type: z.literal("connect"),
  /** `{store}/{instance}`, e.g. `todo/list-42`. */
  space: z.string(),
  client_id: z.string(),
  auth: z.string().optional(),
  history_id: z.string().nullable(),
  base_version: z.number().int().nonnegative(),
  last_mutation_id: z.number().int().nonnegative(),
  schema_version: z.number().int(),
});
export const pushMessage = z.object({
  type: z.literal("push"),
  client_id: z.string(),
  mutations: z.array(wireMutation),
});
/** Where a cut snapshot left off: the rest of the snapshot at `version`, after `after_key`. */
export const snapshotResume = z.object({
  version: z.number().int().nonnegative(),
  after_key: z.string(),
});
export type SnapshotResume = z.infer<typeof snapshotResume>;
export const pullMessage = z.object({
  type: z.literal("pull"),
  client_id: z.string(),
  base_version: z.number().int().nonnegative(),
  /** Resume a snapshot a cut connection interrupted (see docs/PROTOCOL.md, "Snapshots"). */
  snapshot_resume: snapshotResume.optional(),
  /**
   * The client's last acknowledged mutation id: the response carries the client's rejections
   * after it (`rejections`). Without it the response carries none.
   */
  last_mutation_id: z.number().int().nonnegative().optional(),
});
export const actionMessage = z.object({
  type: z.literal("action"),
  request_id: z.string(),
  name: z.string(),
  args: jsonValue,
});
export const pingMessage = z.object({ type: z.literal("ping") });
/**
 * A fresh credential for this connection, sent when the server asks with `auth_refresh`. The
 * server authenticates it as it did `connect`'s; it must name the same user.
 */
export const authMessage = z.object({ type: z.literal("auth"), auth: z.string() });
/**
 * Sets this connection's presence in the space (the whole state: the latest wins), or clears it
 * with `null`. Ephemeral: never stored, never versioned; it ends with the connection.
 */
export const presenceMessage = z.object({
  type: z.literal("presence"),
  state: z.custom<unknown>((state) => state !== undefined, "state is required (null clears presence)"),
});

export const clientMessage = z.discriminatedUnion("type", [
  connectMessage,
  pushMessage,
  pullMessage,
  actionMessage,
  pingMessage,
  presenceMessage,
  authMessage,
]);
export type ConnectMessage = z.infer<typeof connectMessage>;
export type PushMessage = z.infer<typeof pushMessage>;
export type PullMessage = z.infer<typeof pullMessage>;
export type ActionMessage = z.infer<typeof actionMessage>;
export type PingMessage = z.infer<typeof pingMessage>;
export type PresenceMessage = z.infer<typeof presenceMessage>;
export type AuthMessage = z.infer<typeof authMessage>;
export type ClientMessage = z.infer<typeof clientMessage>;

// ---- server → client ----

/** Error codes that travel on the wire. */
export const wireErrorCode = z.enum([
  // mutation rejections (mutation_error)
  "unknown_mutator",
  "invalid_args",
  "invalid_value",
  "unknown_key",
  "mutator_failed",
  "permission_denied",
  "mutator_retired",
  // action failures (action_result)
  "unknown_action",
  "action_failed",
  // protocol errors (error)
  "bad_message",
  "frame_too_large",
  "not_connected",
  "already_connected",
  "handshake_timeout",
  "unauthenticated",
  "unauthorized",
  "client_id_taken",
  "too_many_clients",
  "auth_expired",
  "revoked",
  "unknown_space",
  "update_needed",
  "server_version_behind",
  "mutation_gap",
  "too_many_mutations",
  "key_too_large",
  "value_too_large",
  "rate_limited",
  // presence refused (error; the previous state stays)
  "invalid_presence",
  "presence_too_large",
  "presence_space_full",
  "internal",
]);
export type WireErrorCode = z.infer<typeof wireErrorCode>;

export const connectedMessage = z.object({
  type: z.literal("connected"),
  history_id: z.string(),
  version: z.number().int().nonnegative(),
  /** The server's last processed mutation id for this client (0 if unknown). */
  last_mutation_id: z.number().int().nonnegative(),
});
/** A mutation of the receiving client that the server rejected, carried with its acknowledgement. */
export const wireRejection = z.object({
  mutation_id: z.number().int().positive(),
  code: wireErrorCode,
  message: z.string(),
});
export type WireRejection = z.infer<typeof wireRejection>;
const pokeBody = {
  /** Oldest version whose changes the patches include; `0` with a leading `reset` patch. */
  min_included_version: z.number().int().nonnegative(),
  max_included_version: z.number().int().nonnegative(),
  patches: z.array(patchOp),
  /** Only the receiving user's clients (an object without prototype: any client id is an own key). */
  client_id_to_last_mutation_id: z
    .custom<Record<string, number>>(
      (v) => readLastMutationIds(v) !== undefined,
      "Expected an object of client ids to non-negative integers",
    )
    .transform((v) => readLastMutationIds(v)!),
  /**
   * The receiving client's mutations this update acknowledges that were rejected (absent when
   * none), so acknowledgement and rejection arrive together whatever happens to other frames.
   */
  rejections: z.array(wireRejection).optional(),
};
export const pokeMessage = z.object({ type: z.literal("poke"), ...pokeBody });
export const pullResponseMessage = z.object({
  type: z.literal("pull_response"),
  ...pokeBody,
  /** A snapshot sent in parts: `true` on every part but the last; the client applies them as one. */
  more: z.boolean().optional(),
});
export const mutationErrorMessage = z.object({
  type: z.literal("mutation_error"),
  client_id: z.string(),
  mutation_id: z.number().int().positive(),
  code: wireErrorCode,
  message: z.string(),
});
export const actionResultMessage = z.discriminatedUnion("ok", [
  z.object({
    type: z.literal("action_result"),
    request_id: z.string(),
    ok: z.literal(true),
    result: jsonValue,
  }),
  z.object({
    type: z.literal("action_result"),
    request_id: z.string(),
    ok: z.literal(false),
    error: z.object({ code: wireErrorCode, message: z.string() }),
  }),
]);
export const errorMessage = z.object({
  type: z.literal("error"),
  code: wireErrorCode,
  message: z.string(),
  /** With `mutation_gap`: the server's last processed id, so the client re-pushes after it. */
  last_mutation_id: z.number().int().nonnegative().optional(),
  /** With `update_needed` and `server_version_behind`: the client's `schema_version`. */
  client_version: z.number().int().optional(),
  /** With `update_needed` and `server_version_behind`: the oldest version the server serves. */
  min_supported_version: z.number().int().optional(),
  /** With `update_needed` and `server_version_behind`: the server's version. */
  server_version: z.number().int().optional(),
});
export const pongMessage = z.object({ type: z.literal("pong") });
/**
 * The connection's credential expires at `expires_at` (ms since the epoch): the client should
 * send a fresh one (`auth`) before then, or the connection closes with `auth_expired`.
 */
export const authRefreshMessage = z.object({
  type: z.literal("auth_refresh"),
  expires_at: z.number(),
});
/** One connection's presence as others see it. */
export const presenceEntry = z.object({
  client_id: z.string(),
  user_id: z.string(),
  state: z.unknown(),
});
export type PresenceEntry = z.infer<typeof presenceEntry>;
/**
 * Presence of the other connections of the space. `full`: `set` is everything there is (drop what
 * is not in it), as sent after `connected`; otherwise the changes since the previous message.
 */
export const presenceUpdateMessage = z.object({
  type: z.literal("presence"),
  full: z.boolean(),
  set: z.array(presenceEntry),
  /** Client ids whose presence ended. */
  removed: z.array(z.string()),
});

export const serverMessage = z.union([
  connectedMessage,
  pokeMessage,
  pullResponseMessage,
  mutationErrorMessage,
  actionResultMessage,
  errorMessage,
  pongMessage,
  presenceUpdateMessage,
  authRefreshMessage,
]);
export type ConnectedMessage = z.infer<typeof connectedMessage>;
export type PokeMessage = z.infer<typeof pokeMessage>;
export type PullResponseMessage = z.infer<typeof pullResponseMessage>;
export type MutationErrorMessage = z.infer<typeof mutationErrorMessage>;
export type ActionResultMessage = z.infer<typeof actionResultMessage>;
export type ErrorMessage = z.infer<typeof errorMessage>;
export type PongMessage = z.infer<typeof pongMessage>;
export type PresenceUpdateMessage = z.infer<typeof presenceUpdateMessage>;
export type AuthRefreshMessage = z.infer<typeof authRefreshMessage>;
export type ServerMessage = z.infer<typeof serverMessage>;
