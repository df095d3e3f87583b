import type {
  ConnectedMessage,
  ConnectMessage,
  ErrorMessage,
  WireErrorCode,
} from "@synced-store/core/protocol";
import type { Rejection } from "../engine/rejection-log.js";
import type { Space } from "../engine/space.js";
import type { StoreRuntime } from "../engine/store-runtime.js";
import { isStorableText, utf8Length } from "../util/storable-text.js";
import { CloseCode } from "./close-code.js";
import { authenticateCredential } from "./credential.js";
import type { HandlerEnvironment } from "./handler-environment.js";
import type { ConnectionInfo, RequestInfo } from "./hooks.js";

/** The outcome of a `connect` message. */
export type HandshakeResult =
  | {
      readonly ok: true;
      readonly space: Space;
      readonly info: ConnectionInfo;
      readonly connected: ConnectedMessage;
      /** When the connection's credential expires (ms since the epoch), if `authenticate` said. */
      readonly expiresAt: number | undefined;
      /** The client's state is from another history or ahead of the server: reset it on its next pull. */
      readonly reset: boolean;
      /** Rejections the client may have missed (it disconnected before their `mutation_error`). */
      readonly missed: readonly Rejection[];
    }
  | {
      readonly ok: false;
      readonly code: WireErrorCode;
      readonly message: string;
      readonly close: number;
      /** Fields the `error` message carries beside code and message. */
      readonly details?: Partial<ErrorMessage>;
    };

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
      CloseCode.unknownSpace,
    );
  }
  const versionProblem = checkVersion(space.store, message.schema_version);
  if (versionProblem !== undefined) return versionProblem;
  if (
    message.client_id.length === 0 ||
    message.client_id.length > 200 ||
    !isStorableText(message.client_id)
  ) {
    return refuse(
      "bad_message",
      "client_id must be 1 to 200 characters, without U+0000 or lone surrogates",
      CloseCode.badRequest,
    );
  }
  const credential = await authenticateCredential(env, {
    auth: message.auth,
    spaceId,
    clientId: message.client_id,
    request,
  });
  if (!credential.ok) {
    const close = credential.code === "auth_expired" ? CloseCode.authExpired : CloseCode.unauthenticated;
    return refuse(credential.code, credential.message, close);
  }
  const { userId, expiresAt } = credential;
  const gated = request.admitUser?.(userId);
  if (gated !== undefined) return refuse("rate_limited", gated, CloseCode.policy);
  let allowed: boolean;
  try {
    allowed = (await env.hooks.authorize?.(userId, spaceId)) ?? true;
  } catch (error) {
    env.logger.error("authorize hook failed", { space: spaceId, error: String(error) });
    allowed = false;
  }
  if (!allowed)
    return refuse(
      "unauthorized",
      `User may not use space ${JSON.stringify(spaceId)}`,
      CloseCode.unauthorized,
    );

  const admission = await space.admit({
    clientId: message.client_id,
    userId,
    historyId: message.history_id,
    baseVersion: message.base_version,
    lastMutationId: message.last_mutation_id,
  });
  if (!admission.ok) {
    return admission.reason === "too_many_clients"
      ? refuse(
          "too_many_clients",
          `A user may use at most ${env.limits.maxClientsPerUser} client ids in a space`,
          CloseCode.tooManyClients,
        )
      : refuse("client_id_taken", "This client id belongs to another user", CloseCode.clientIdTaken);
  }
  return {
    ok: true,
    expiresAt,
    missed: admission.missed,
    space,
    info: { userId, spaceId, clientId: message.client_id, schemaVersion: message.schema_version },
    connected: {
      type: "connected",
      history_id: admission.historyId,
      version: admission.version,
      last_mutation_id: admission.lastMutationId,
    },
    reset: admission.reset,
  };
}

function refuse(
  code: WireErrorCode,
  message: string,
  close: number,
  details?: Partial<ErrorMessage>,
): HandshakeResult {
  return { ok: false, code, message, close, ...(details === undefined ? {} : { details }) };
}

/**
 * A client of a version below `[minSupportedVersion, version]` must update; one above it runs a
 * newer app than the server (a rollback) and keeps its queue until a server of its version is back.
 */
function checkVersion(store: StoreRuntime, clientVersion: number): HandshakeResult | undefined {
  const details = {
    client_version: clientVersion,
    min_supported_version: store.minSupportedVersion,
    server_version: store.version,
  };
  if (clientVersion < store.minSupportedVersion) {
    return refuse(
      "update_needed",
      `This app is version ${clientVersion}; the server serves versions ${store.minSupportedVersion} to ${store.version}. Reload to update.`,
      CloseCode.versionMismatch,
      details,
    );
  }
  if (clientVersion > store.version) {
    return refuse(
      "server_version_behind",
      `This app is version ${clientVersion}, newer than the server's ${store.version}; its changes wait until the server catches up.`,
      CloseCode.versionMismatch,
      details,
    );
  }
  return undefined;
}

function validSpaceId(spaceId: string): boolean {
  const slash = spaceId.indexOf("/");
  return slash > 0 && slash < spaceId.length - 1 && utf8Length(spaceId) <= 512 && isStorableText(spaceId);
}
