import type { ConnectedMessage, ConnectMessage, WireErrorCode } from "@synced-store/core";
import type { Rejection } from "../engine/rejection-log.js";
import type { Space } from "../engine/space.js";
import type { HandlerEnvironment } from "./connection-handler.js";
import type { ConnectionInfo, RequestInfo } from "./hooks.js";
import { isStorableText, utf8Length } from "../util/storable-text.js";

/** Close codes used by the handshake (see `CloseCode`). */
const CLOSE = { badRequest: 4400, unauthenticated: 4401, unauthorized: 4403, unknownSpace: 4404 } as const;

/** The outcome of a `connect` message. */
export type HandshakeResult =
  | {
      readonly ok: true;
      readonly space: Space;
      readonly info: ConnectionInfo;
      readonly connected: ConnectedMessage;
      /** The client's state is from another history or ahead of the server: reset it on its next pull. */
      readonly reset: boolean;
      /** Rejections the client may have missed (it disconnected before their `mutation_error`). */
      readonly missed: readonly Rejection[];
    }
  | { readonly ok: false; readonly code: WireErrorCode; readonly message: string; readonly close: number };

/**
 * Checks a `connect`: known store, supported schema version, authentication, authorization, and
 * that the client id is not another user's; then opens the space and decides whether the
 * client's state can be patched or must be reset.
 */
export async function handshake(
  env: HandlerEnvironment,
  message: ConnectMessage,
  request: RequestInfo,
): Promise<HandshakeResult> {
  const spaceId = message.space;
  const space = validSpaceId(spaceId) ? env.space(spaceId) : undefined;
  if (space === undefined) {
    return refuse(
      "unknown_space",
      `No store serves space ${JSON.stringify(spaceId)} (expected "{store}/{instance}")`,
      CLOSE.unknownSpace,
    );
  }
  if (message.schema_version !== space.store.schemaVersion) {
    return refuse(
      "unsupported_schema_version",
      `Schema version ${message.schema_version} is not supported; the server runs ${space.store.schemaVersion}. Reload the app.`,
      CLOSE.badRequest,
    );
  }
  if (
    message.client_id.length === 0 ||
    message.client_id.length > 200 ||
    !isStorableText(message.client_id)
  ) {
    return refuse(
      "bad_message",
      "client_id must be 1 to 200 characters, without U+0000 or lone surrogates",
      CLOSE.badRequest,
    );
  }
  let userId: string | undefined;
  try {
    const authenticate = env.hooks.authenticate ?? ((r) => r.auth);
    userId = await authenticate({ auth: message.auth, spaceId, clientId: message.client_id, request });
  } catch (error) {
    return refuse(
      "unauthenticated",
      `Authentication failed: ${error instanceof Error ? error.message : String(error)}`,
      CLOSE.unauthenticated,
    );
  }
  if (userId === undefined || userId.length === 0 || userId.includes("/") || !isStorableText(userId)) {
    return refuse("unauthenticated", "Authentication failed: no valid user id", CLOSE.unauthenticated);
  }
  let allowed: boolean;
  try {
    allowed = (await env.hooks.authorize?.(userId, spaceId)) ?? true;
  } catch (error) {
    env.logger.error("authorize hook failed", { space: spaceId, error: String(error) });
    allowed = false;
  }
  if (!allowed)
    return refuse("unauthorized", `User may not use space ${JSON.stringify(spaceId)}`, CLOSE.unauthorized);

  const head = await space.open();
  const known = space.state.clients.get(message.client_id);
  if (known !== undefined && known.userId !== userId) {
    return refuse("unauthorized", "This client id belongs to another user", CLOSE.unauthorized);
  }
  const lastMutationId = known?.lastMutationId ?? 0;
  const version = space.state.version;
  const reset =
    (message.history_id !== null && message.history_id !== head.historyId) ||
    message.base_version > version ||
    message.last_mutation_id > lastMutationId;
  const missed = reset ? [] : await space.missedRejections(message.client_id, message.last_mutation_id);
  return {
    ok: true,
    missed,
    space,
    info: { userId, spaceId, clientId: message.client_id },
    connected: {
      type: "connected",
      history_id: space.state.historyId,
      version,
      last_mutation_id: lastMutationId,
    },
    reset,
  };
}

function refuse(code: WireErrorCode, message: string, close: number): HandshakeResult {
  return { ok: false, code, message, close };
}

function validSpaceId(spaceId: string): boolean {
  const slash = spaceId.indexOf("/");
  return slash > 0 && slash < spaceId.length - 1 && utf8Length(spaceId) <= 512 && isStorableText(spaceId);
}
