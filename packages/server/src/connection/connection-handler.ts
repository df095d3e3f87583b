import {
  assertNever,
  decodeClientMessage,
  encodeMessage,
  type ActionMessage,
  type AuthMessage,
  type ClientMessage,
  type ConnectMessage,
  type ErrorMessage,
  type PresenceMessage,
  type PushMessage,
  type ServerMessage,
  type WireErrorCode,
} from "@synced-store/core/protocol";
import type { SpaceConnection } from "../engine/poke-buffer.js";
import type { PushOutcome } from "../engine/push-group.js";
import type { Space } from "../engine/space.js";
import { CloseCode } from "./close-code.js";
import type { HandlerEnvironment } from "./handler-environment.js";
import { handshake } from "./handshake.js";
import type { ConnectionInfo, RequestInfo } from "./hooks.js";
import { RateLimiter } from "./rate-limiter.js";
import { authenticateCredential, wallClock } from "./credential.js";
import { CredentialExpiry } from "./credential-expiry.js";
import type { Session } from "./handler-environment.js";
import type { PresenceOwner } from "../presence/presence-record.js";

/** Sends one frame to the peer. */
export type SendFrame = (frame: string) => void;
/** Closes the transport with a WebSocket close code and a reason. */
export type CloseTransport = (code: number, reason: string) => void;

/** One connection's handler, returned by `connect`. */
export interface ConnectionHandle {
  /** Feeds one frame received from the peer. Never throws; problems are answered on the wire. */
  handleMessage(frame: string): void;
  /** The transport closed: detach from the space and run `onDisconnect`. */
  close(): void;
  /** Resolves when every frame fed so far has been handled. */
  idle(): Promise<void>;
}

/** Pushes of one connection queued in its space before the handler waits for their commits. */
const MAX_PUSHES_IN_FLIGHT = 8;

/**
 * The transport-agnostic connection handler: parses and bounds frames, runs the handshake
 * (schema version, authentication, authorization, history check), then dispatches messages to
 * the space one at a time, in arrival order. Problems are answered with `error`; where going on
 * is unsafe (oversized frame, failed authentication, flooding) the connection is closed too.
 */
export function connect(
  env: HandlerEnvironment,
  send: SendFrame,
  closeTransport: CloseTransport,
  request: RequestInfo = { headers: {} },
): ConnectionHandle {
  const limiter = new RateLimiter(env.limits.messagesPerSecond, env.now);
  let phase: "new" | "handshaking" | "ready" | "closed" = "new";
  /** Rate-limit violations since the client last paused; too many close the connection. */
  let violations = 0;
  let lastViolation = 0;
  const clock = env.now ?? (() => performance.now());
  // A function, so TypeScript does not narrow `phase` across awaits.
  const isClosed = () => phase === "closed";
  let inbox: Promise<void> = Promise.resolve();
  /** The outcome handling of the last push queued (pushes settle in order). */
  let pushes: Promise<void> = Promise.resolve();
  let inFlight = 0;
  let space: Space | undefined;
  let conn: SpaceConnection | undefined;
  let info: ConnectionInfo | undefined;
  let presenceOwner: PresenceOwner | undefined;
  // An HTTP request is one poll of a client that stays: presence it sets outlives the request.
  const polling = request.transport === "http";
  const transport = request.transport ?? "websocket";
  env.metrics.connectionOpened(transport);
  // A peer that opens and never completes its handshake would hold its socket forever.
  let handshakeTimer: ReturnType<typeof setTimeout> | undefined = setTimeout(() => {
    handshakeTimer = undefined;
    if (phase === "new" || phase === "handshaking") {
      fail(
        "handshake_timeout",
        `No connect completed within ${env.limits.handshakeTimeoutMs} ms of opening`,
        CloseCode.handshakeTimeout,
      );
    }
  }, env.limits.handshakeTimeoutMs);
  const expiry = new CredentialExpiry(wallClock(env), env.limits.authRefreshLeadMs, {
    refreshDue: (expiresAt) => sendMessage({ type: "auth_refresh", expires_at: expiresAt }),
    expired: () =>
      fail(
        "auth_expired",
        "The connection's credential expired; reconnect with a fresh one",
        CloseCode.authExpired,
      ),
  });
  let session: Session | undefined;
  const stopHandshakeTimer = () => {
    if (handshakeTimer !== undefined) clearTimeout(handshakeTimer);
    handshakeTimer = undefined;
  };

  const sendMessage = (message: ServerMessage) => {
    if (phase !== "closed") send(encodeMessage(message));
  };
  const fail = (code: WireErrorCode, message: string, close?: number, details?: Partial<ErrorMessage>) => {
    env.metrics.protocolError(code);
    // Who and what, never the frame itself (it may hold another user's data or credentials).
    env.logger[close === undefined ? "debug" : "info"]("protocol error", {
      code,
      ...(info === undefined ? {} : { space: info.spaceId, user: info.userId, client: info.clientId }),
      ...(request.remoteAddress === undefined ? {} : { remote: request.remoteAddress }),
      ...(close === undefined ? {} : { close }),
    });
    sendMessage({ ...details, type: "error", code, message });
    if (close !== undefined) {
      closeTransport(close, message.slice(0, 120));
      handle.close();
    }
  };

  /** Handles one decoded message; every client message type has its case. */
  const dispatch = async (message: ClientMessage, receivedAt: number): Promise<void> => {
    if (message.type === "ping") return sendMessage({ type: "pong" });
    if (message.type === "connect") {
      if (phase !== "new") return fail("already_connected", "This connection already sent connect");
      return onConnect(message);
    }
    if (phase !== "ready" || space === undefined || conn === undefined || info === undefined) {
      return fail("not_connected", `Send connect before ${message.type}`);
    }
    switch (message.type) {
      case "push":
        return onPush(space, info, message, receivedAt);
      case "pull":
        if (message.client_id !== info.clientId)
          return fail("bad_message", "client_id differs from connect's");
        return space.pull(conn, message.base_version, message.snapshot_resume);
      case "action":
        return onAction(space, info, message);
      case "presence":
        return onPresence(info, message);
      case "auth":
        return onAuth(info, message);
      default:
        // A message type added to the protocol does not compile until it is handled here.
        return assertNever(message);
    }
  };

  const onConnect = async (message: ConnectMessage) => {
    phase = "handshaking";
    const result = await handshake(env, message, request);
    if (isClosed()) return;
    if (!result.ok) return fail(result.code, result.message, result.close, result.details);
    space = result.space;
    info = result.info;
    const self: SpaceConnection = {
      userId: info.userId,
      clientId: info.clientId,
      schemaVersion: info.schemaVersion,
      version: result.reset ? 0 : message.base_version,
      resetPending: result.reset,
      sendFrame: (frame) => {
        if (phase !== "closed") send(frame);
      },
      drop: (reason) => {
        closeTransport(CloseCode.serviceRestart, reason);
        handle.close();
      },
    };
    conn = self;
    phase = "ready";
    stopHandshakeTimer();
    sendMessage(result.connected);
    // Rejections the client may have missed (it disconnected before their mutation_error).
    for (const { id, error } of result.missed) {
      sendMessage({ type: "mutation_error", client_id: info.clientId, mutation_id: id, ...error });
    }
    space.attach(self);
    // Over HTTP each request is a connection of its own: ask for the refresh in its answer.
    expiry.schedule(result.expiresAt, { refreshNowWithinLead: polling });
    session = {
      info,
      revoke: (reason) => fail("revoked", reason, CloseCode.revoked),
    };
    env.sessions.add(session);
    presenceOwner = { kind: "connection", connection: self };
    env.presence.join(info.spaceId, self);
    if (polling) env.presence.renew(info.spaceId, info.clientId);
    try {
      await env.hooks.onConnect?.(info);
    } catch (error) {
      env.logger.error("onConnect hook failed", { space: info.spaceId, error: String(error) });
    }
  };

  /**
   * Queues the push and goes on with the next message without waiting for its commit, so a
   * client's pushes in flight can share a commit. Outcomes come back in push order (the space
   * commits its queue in order), and a later pull or action queues behind the push.
   */
  const onPush = async (s: Space, who: ConnectionInfo, message: PushMessage, receivedAt: number) => {
    if (message.client_id !== who.clientId) return fail("bad_message", "client_id differs from connect's");
    if (message.mutations.length > env.limits.maxMutationsPerPush) {
      return fail(
        "too_many_mutations",
        `A push may carry at most ${env.limits.maxMutationsPerPush} mutations; this one has ${message.mutations.length}`,
      );
    }
    // Backpressure: a connection has at most MAX_PUSHES_IN_FLIGHT pushes queued in its space.
    if (inFlight >= MAX_PUSHES_IN_FLIGHT) await pushes;
    inFlight++;
    pushes = s.push(who.userId, who.clientId, message.mutations, receivedAt, who.schemaVersion).then(
      (outcome) => {
        inFlight--;
        onPushOutcome(who, outcome);
      },
      (error: unknown) => {
        inFlight--;
        env.logger.error("push failed", { space: who.spaceId, error: String(error) });
        fail("internal", "The server failed to commit this push; nothing of it was applied");
      },
    );
  };

  const onPushOutcome = (who: ConnectionInfo, outcome: PushOutcome) => {
    if (outcome.refused !== undefined) return fail(outcome.refused.code, outcome.refused.message);
    for (const { id, error } of outcome.errors) {
      sendMessage({ type: "mutation_error", client_id: who.clientId, mutation_id: id, ...error });
    }
    if (outcome.gapAfter !== undefined) {
      env.metrics.protocolError("mutation_gap");
      sendMessage({
        type: "error",
        code: "mutation_gap",
        message: `Expected mutation ${outcome.gapAfter + 1} next; push again from there`,
        last_mutation_id: outcome.gapAfter,
      });
    }
  };

  /** A fresh credential: it must name the connection's user; its expiry replaces the old one. */
  const onAuth = async (who: ConnectionInfo, message: AuthMessage) => {
    const credential = await authenticateCredential(env, {
      auth: message.auth,
      spaceId: who.spaceId,
      clientId: who.clientId,
      request,
    });
    if (isClosed()) return;
    if (!credential.ok) {
      const close = credential.code === "auth_expired" ? CloseCode.authExpired : CloseCode.unauthenticated;
      return fail(credential.code, credential.message, close);
    }
    if (credential.userId !== who.userId) {
      return fail(
        "unauthenticated",
        "The fresh credential is for another user than the connection's",
        CloseCode.unauthenticated,
      );
    }
    expiry.schedule(credential.expiresAt);
  };

  const onAction = async (s: Space, who: ConnectionInfo, message: ActionMessage) => {
    const outcome = await s.action(who.userId, message.name, message.args);
    sendMessage(
      outcome.ok
        ? { type: "action_result", request_id: message.request_id, ok: true, result: outcome.result }
        : { type: "action_result", request_id: message.request_id, ok: false, error: outcome.error },
    );
  };

  const onPresence = (who: ConnectionInfo, message: PresenceMessage) => {
    const owner: PresenceOwner = polling
      ? { kind: "lease", expiresAt: env.presence.leaseExpiry() }
      : presenceOwner!;
    const refused = env.presence.set(who.spaceId, who, owner, message.state);
    if (refused !== undefined) fail(refused.code, refused.message);
  };

  const handle: ConnectionHandle = {
    handleMessage(frame) {
      if (phase === "closed") return;
      const receivedAt = performance.now();
      // Length in UTF-16 units bounds the UTF-8 size from below; count bytes only when it may matter.
      if (
        frame.length > env.limits.maxFrameBytes / 3 &&
        env.runtime.byteLength(frame) > env.limits.maxFrameBytes
      ) {
        return fail(
          "frame_too_large",
          `Frames are limited to ${env.limits.maxFrameBytes} bytes`,
          CloseCode.tooBig,
        );
      }
      if (limiter.take()) {
        // A client that paused for a second after its last burst starts over.
        if (violations > 0 && clock() - lastViolation > 1000) violations = 0;
      } else {
        violations++;
        lastViolation = clock();
        if (violations > env.limits.maxRateViolations) {
          return fail("rate_limited", "Too many messages; closing", CloseCode.policy);
        }
        return fail(
          "rate_limited",
          `At most ${env.limits.messagesPerSecond} messages per second; message dropped`,
        );
      }
      let message: ClientMessage;
      try {
        message = decodeClientMessage(frame);
      } catch (error) {
        return fail("bad_message", error instanceof Error ? error.message : String(error));
      }
      inbox = inbox
        .then(() => (phase === "closed" ? undefined : dispatch(message, receivedAt)))
        .catch((error: unknown) => {
          env.logger.error("message handling failed", { type: message.type, error: String(error) });
          fail("internal", "The server failed to handle this message");
        });
    },
    close() {
      if (phase === "closed") return;
      const wasReady = phase === "ready";
      phase = "closed";
      stopHandshakeTimer();
      expiry.cancel();
      if (session !== undefined) env.sessions.delete(session);
      env.metrics.connectionClosed(transport);
      if (conn !== undefined) space?.detach(conn);
      if (conn !== undefined && info !== undefined) {
        env.presence.leave(info.spaceId, conn, polling ? undefined : presenceOwner);
      }
      if (wasReady && info !== undefined) {
        const who = info;
        void Promise.resolve()
          .then(() => env.hooks.onDisconnect?.(who))
          .catch((error: unknown) =>
            env.logger.error("onDisconnect hook failed", { space: who.spaceId, error: String(error) }),
          );
      }
    },
    idle: () => inbox.then(() => pushes),
  };
  return handle;
}
