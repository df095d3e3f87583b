import { OfflineError, SyncedStoreError, toSyncedStoreError } from "../errors.js";
import { assertNever, decodeServerMessage, encodeMessage } from "../protocol/codec.js";
import type { ClientMessage, ConnectedMessage, ErrorMessage, ServerMessage } from "../protocol/messages.js";
import type { SyncTarget } from "../store/server-update.js";
import { ActionRequests, errorFromWire } from "./action-requests.js";
import { backoffDelay } from "./backoff.js";
import { CatchUp } from "./catch-up.js";
import { Heartbeat } from "./heartbeat.js";
import { PresenceSender } from "./presence-sender.js";
import { PushScheduler } from "./push-scheduler.js";
import { ResyncWatchdog } from "./resync-watchdog.js";
import { serverErrorAction } from "./server-error-policy.js";
import type { ConnectionStatus, UpdateNeeded } from "./status.js";
import { StatusTracker } from "./status-tracker.js";
import type { SyncClientOptions } from "./sync-client-options.js";
import { systemTimers, type SyncTimers, type TimerHandle } from "./timers.js";
import type { CloseInfo, Transport, TransportConnection } from "./transport.js";
import { TransportSelector } from "./transport-selector.js";

export type { AuthSource, SyncClientOptions } from "./sync-client-options.js";

interface Connection {
  readonly id: number;
  readonly transport: Transport;
  readonly kind: Transport["kind"];
  link: TransportConnection | null;
  phase: "opening" | "handshaking" | "ready";
  /** Its close keeps the error that ended it in the status (not "connection lost"). */
  keepError?: boolean;
  /** An `auth_refresh` is being answered (the auth function was called). */
  refreshing?: boolean;
}

/*
 * The connection loop.
 *
 *            start()
 *   stopped ────────► opening ──open──► handshaking ──connected──► ready (online)
 *      ▲                 ▲  │               │                        │
 *      │ stop()          │  └──fail/timeout─┴──────────close─────────┘
 *      │                 │                  │
 *      │                 └── backoff timer ─┤  (offline: exponential delay + jitter;
 *      │                                    │   after N failed opens, the fallback transport)
 *      └────────── fatal error (schema version, authorization) ──┘
 *
 * In `ready`: pending mutations are pushed in batches after the server's acknowledged id; pokes
 * and pull responses are applied in arrival order; a poke past `baseVersion + 1` triggers a pull;
 * pings detect silent connections.
 */

/**
 * Keeps a local store in sync with the server: connects, pushes pending mutations, applies pokes,
 * pulls on gaps, reconnects with backoff, and runs actions. Status is observable.
 */
export class SyncClient {
  private readonly target: SyncTarget;
  private readonly timers: SyncTimers;
  private readonly tracker = new StatusTracker();
  private readonly actions: ActionRequests;
  private readonly heartbeat: Heartbeat;
  private conn: Connection | null = null;
  private connSeq = 0;
  private running = false;
  /** Set by `dispose`: the client never starts again (an app's `online` handler may still call). */
  private disposed = false;
  private fatal: SyncedStoreError | null = null;
  private failures = 0;
  private readonly transports: TransportSelector;
  private retryTimer: TimerHandle | undefined;
  private connectTimer: TimerHandle | undefined;
  private pollTimer: TimerHandle | undefined;
  private readonly watchdog: ResyncWatchdog;
  private readonly pushes: PushScheduler;
  private readonly catchUp: CatchUp;
  private readonly presence: PresenceSender | undefined;
  /** Serializes message handling: updates must reach the store in arrival order. */
  private inbox: Promise<void> = Promise.resolve();
  private readonly unsubscribePending: () => void;

  constructor(private readonly options: SyncClientOptions) {
    this.target = options.target;
    this.timers = options.timers ?? systemTimers;
    this.transports = new TransportSelector(
      options.transport,
      options.fallbackTransport,
      options.fallbackAfterFailures ?? 2,
    );
    this.actions = new ActionRequests(options.target.clientId);
    this.heartbeat = new Heartbeat({
      timers: this.timers,
      intervalMs: options.heartbeatIntervalMs ?? 10_000,
      timeoutMs: options.heartbeatTimeoutMs ?? 5_000,
      sendPing: () => this.send({ type: "ping" }),
      onTimeout: () => this.drop("No response from the server (heartbeat timeout)"),
    });
    this.pushes = new PushScheduler({
      target: this.target,
      timers: this.timers,
      send: (message) => this.send(message),
      pushDelayMs: options.pushDelayMs,
      minPushIntervalMs: options.minPushIntervalMs,
      maxMutationsPerPush: options.maxMutationsPerPush,
      // Without pokes (HTTP), a push's effect and acknowledgement arrive only by pulling.
      onPushed: () => {
        if (this.conn?.kind === "http") this.catchUp.pull();
      },
    });
    this.catchUp = new CatchUp({
      target: this.target,
      sendPull: (baseVersion, resume) => {
        if (this.conn?.phase !== "ready") return false;
        this.send({
          type: "pull",
          client_id: this.target.clientId,
          base_version: baseVersion,
          ...(resume === undefined ? {} : { snapshot_resume: resume }),
          // The response then carries the rejections of the mutations it acknowledges.
          last_mutation_id: this.target.lastAcknowledgedId(),
        });
        return true;
      },
    });
    this.watchdog = new ResyncWatchdog({
      target: this.target,
      timers: this.timers,
      intervalMs: options.resyncIntervalMs ?? 10_000,
      pullInFlight: () => this.catchUp.pullInFlight,
      resync: (acknowledgedId) => {
        // A push, its poke or a pull got lost: start over from what the server confirmed.
        this.catchUp.abandonPull();
        this.pushes.rewind(acknowledgedId);
        this.catchUp.pull();
      },
    });
    const link = options.presence;
    this.presence =
      link &&
      new PresenceSender({
        link,
        timers: this.timers,
        send: (message) => this.send(message),
        intervalMs: options.presenceIntervalMs,
      });
    this.unsubscribePending = this.target.onPendingAdded(() => this.pushes.schedule());
  }

  /** Current connection status (the store adds its pending count). */
  get status(): ConnectionStatus {
    return this.tracker.status;
  }

  /** Calls `listener` on every status change; returns an unsubscribe. */
  onStatusChange(listener: (status: ConnectionStatus) => void): () => void {
    return this.tracker.subscribe(listener);
  }

  /** The error that stopped syncing for good (e.g. an unsupported schema version), if any. */
  get fatalError(): SyncedStoreError | null {
    return this.fatal;
  }

  /** Starts connecting (after the target's persisted state has loaded). */
  start(): void {
    if (this.running || this.disposed) return;
    this.running = true;
    this.fatal = null;
    this.tracker.update({ updateNeeded: null });
    this.tracker.update({ connection: "connecting" });
    void this.target.ready.then(
      () => this.connect(),
      (error: unknown) => this.report(toSyncedStoreError(error)),
    );
  }

  /** Stops syncing: closes the connection, cancels timers; outstanding actions reject. */
  stop(): void {
    this.running = false;
    this.clearTimer("retryTimer");
    if (this.conn) this.conn.link?.close(1000, "client closed");
    this.conn = null;
    this.presence?.stop();
    this.options.presence?.disconnected();
    this.tracker.update({ connection: "offline" });
  }

  /** `stop` for good, releasing the listener on the target. */
  dispose(): void {
    this.disposed = true;
    this.stop();
    this.presence?.dispose();
    this.unsubscribePending();
  }

  /**
   * The network is back (e.g. the browser's `online` event): skips the backoff wait and connects
   * now, with the main transport. Opens that failed while the network was down do not show that
   * WebSockets are blocked, so a connection on the fallback transport — chosen after those
   * failures — is replaced too; otherwise the client would stay on HTTP polling for good.
   */
  reconnectNow(): void {
    if (!this.running) return;
    const conn = this.conn;
    if (conn !== null) {
      if (!this.transports.isFallback(conn.transport)) return;
      const reason = "the network is back: trying the main transport again";
      conn.link?.close(1000, reason);
      // A transport that does not report its own close synchronously still ends here.
      this.onClose(conn, { code: 1000, reason, opened: conn.phase !== "opening" });
      if (this.conn !== null || !this.running || this.fatal !== null) return;
    }
    this.transports.reset();
    this.clearTimer("retryTimer");
    this.connect();
  }

  /**
   * Runs a server action and resolves to its result. Rejects with `OfflineError` when not
   * connected (or when the connection drops before the result), and with a `SyncedStoreError`
   * carrying the server's code when the action fails.
   */
  callAction(name: string, args: unknown): Promise<unknown> {
    if (this.conn?.phase !== "ready") {
      return Promise.reject(new OfflineError(`Action ${name} needs a connection to the server`));
    }
    const { requestId, result } = this.actions.begin(name);
    this.send({ type: "action", request_id: requestId, name, args });
    return result;
  }

  // ---- connection lifecycle ----

  private connect(): void {
    if (!this.running || this.fatal !== null || this.conn !== null) return;
    const transport = this.transports.next();
    const conn: Connection = {
      id: ++this.connSeq,
      transport,
      kind: transport.kind,
      link: null,
      phase: "opening",
    };
    this.conn = conn;
    this.options.tap?.connection({ step: "opening", transport: conn.kind });
    this.connectTimer = this.timers.setTimeout(
      () => this.drop("Timed out connecting to the server", conn),
      this.options.connectTimeoutMs ?? 10_000,
    );
    try {
      conn.link = transport.open({
        onOpen: () => void this.onOpen(conn),
        onFrame: (frame) => this.onFrame(conn, frame),
        onClose: (info) => this.onClose(conn, info),
      });
    } catch (error) {
      this.onClose(conn, { code: 1006, reason: toSyncedStoreError(error).message, opened: false });
    }
  }

  private async onOpen(conn: Connection): Promise<void> {
    if (conn !== this.conn) return;
    conn.phase = "handshaking";
    this.options.tap?.connection({ step: "open", transport: conn.kind });
    let auth: string | undefined;
    try {
      auth = typeof this.options.auth === "function" ? await this.options.auth() : this.options.auth;
    } catch (error) {
      this.drop(`Could not get credentials: ${toSyncedStoreError(error).message}`, conn);
      return;
    }
    if (conn !== this.conn) return;
    this.send({
      type: "connect",
      space: this.options.spaceId,
      client_id: this.target.clientId,
      ...(auth === undefined ? {} : { auth }),
      history_id: this.target.historyId(),
      base_version: this.target.baseVersion(),
      last_mutation_id: this.target.lastAcknowledgedId(),
      schema_version: this.options.schemaVersion,
    });
  }

  private onFrame(conn: Connection, frame: string): void {
    if (conn !== this.conn) return;
    this.heartbeat.alive();
    let message: ServerMessage;
    try {
      message = decodeServerMessage(frame);
    } catch (error) {
      this.report(toSyncedStoreError(error));
      this.drop("The server sent an invalid frame", conn);
      return;
    }
    this.options.tap?.frame("in", frame, message);
    this.inbox = this.inbox
      .then(() => (conn === this.conn ? this.handle(conn, message) : undefined))
      .catch((error: unknown) => {
        // The store failed to apply an update: report, and start over from a fresh connection.
        this.report(toSyncedStoreError(error));
        this.drop("Could not apply a server update", conn);
      });
  }

  private onClose(conn: Connection, info: CloseInfo): void {
    if (conn !== this.conn) return;
    this.conn = null;
    this.options.tap?.connection({
      step: "closed",
      transport: conn.kind,
      detail: `${info.code} ${info.reason}`,
    });
    this.clearTimer("connectTimer");
    this.clearTimer("pollTimer");
    this.watchdog.stop();
    this.heartbeat.stop();
    this.pushes.stop();
    this.presence?.stop();
    this.options.presence?.disconnected();
    this.catchUp.abandonPull();
    this.actions.failAll("the connection closed before its result arrived");
    this.transports.closed(conn.transport, info);
    if (!this.running || this.fatal !== null) {
      this.tracker.update({ connection: "offline" });
      return;
    }
    if ((conn.phase !== "ready" || info.code !== 1000) && conn.keepError !== true) {
      const why = info.reason || (info.opened ? "Connection lost" : "Could not connect to the server");
      this.tracker.update({ lastError: { code: "connection", message: why } });
    }
    this.tracker.update({ connection: "offline" });
    // A rate-limited client waits at least as long as the server asked: retrying sooner only adds load.
    const backoff = backoffDelay(this.failures++, () => this.timers.random(), this.options.backoff);
    const delay = Math.max(backoff, info.retryAfterMs ?? 0);
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = undefined;
      this.connect();
    }, delay);
  }

  /** Closes `conn` (the current connection by default); `onClose` schedules the retry. */
  private drop(reason: string, conn: Connection | null = this.conn): void {
    if (conn === null || conn !== this.conn) return;
    const link = conn.link;
    if (link === null) return;
    this.tracker.update({ lastError: { code: "connection", message: reason } });
    link.close(4000, reason);
    // A transport that does not report its own close synchronously still ends here.
    this.onClose(conn, { code: 4000, reason, opened: conn.phase !== "opening" });
  }

  // ---- messages ----

  private async handle(conn: Connection, message: ServerMessage): Promise<void> {
    switch (message.type) {
      case "connected":
        return this.onConnected(conn, message);
      case "poke":
      case "pull_response":
        return this.catchUp.apply(message);
      case "mutation_error":
        if (message.client_id === this.target.clientId) {
          this.target.recordRejection(message.mutation_id, message.code, message.message);
        }
        return;
      case "action_result":
        return this.actions.settle(message);
      case "error":
        return this.onServerError(conn, message);
      case "pong":
        return;
      case "presence":
        return this.options.presence?.receive(message);
      case "auth_refresh":
        // Not awaited: the app's auth function may take a while, and updates must not wait for it.
        void this.refreshAuth(conn);
        return;
      default:
        assertNever(message);
    }
  }

  private async onConnected(conn: Connection, message: ConnectedMessage): Promise<void> {
    if (conn.phase !== "handshaking") return;
    const { target } = this;
    const hadHistory = target.historyId() !== null;
    const otherHistory =
      target.historyId() !== message.history_id ||
      message.version < target.baseVersion() ||
      message.last_mutation_id < target.lastAcknowledgedId();
    if (otherHistory) await target.adoptHistory(message.history_id, message.last_mutation_id);
    if (conn !== this.conn) return;
    this.clearTimer("connectTimer");
    conn.phase = "ready";
    this.failures = 0;
    this.transports.succeeded(conn.transport);
    this.catchUp.reset(message.version);
    this.tracker.update({ connection: "online", lastError: null });
    this.options.tap?.connection({
      step: "connected",
      transport: conn.kind,
      detail: `version ${message.version}`,
    });
    if (conn.kind === "websocket") this.heartbeat.start();
    else this.schedulePoll();
    this.watchdog.start();
    // Catch up on what changed while we were away; after a history change, from scratch.
    const reset = otherHistory && hadHistory;
    if (reset || message.version !== target.baseVersion()) this.catchUp.pull(otherHistory ? 0 : undefined);
    this.pushes.start(message.last_mutation_id);
    // The server keeps presence per connection: announce ours again on every new one.
    this.presence?.start();
  }

  /**
   * The server asks for a fresh credential before this connection's expires: ask the auth
   * function again and send the result on the same connection (the queue and subscriptions carry
   * on). A fixed token cannot be refreshed: the server closes at the expiry, and that is fatal.
   */
  private async refreshAuth(conn: Connection): Promise<void> {
    const source = this.options.auth;
    if (typeof source !== "function" || conn.refreshing === true) return;
    conn.refreshing = true;
    try {
      const auth = await source();
      if (conn === this.conn && conn.phase === "ready") this.send({ type: "auth", auth });
    } catch (error) {
      // The connection lasts until the expiry; the reconnect after it asks the function again.
      this.report(toSyncedStoreError(error));
    } finally {
      conn.refreshing = false;
    }
  }

  private onServerError(conn: Connection, message: ErrorMessage): void {
    const error = errorFromWire(message.code, message.message);
    this.tracker.update({ lastError: { code: message.code, message: message.message } });
    const action = serverErrorAction(message.code, typeof this.options.auth === "function");
    if (action === "fatal") {
      this.fatal = new SyncedStoreError(error.code, `${message.code}: ${message.message}`);
      if (message.code === "update_needed") this.tracker.update({ updateNeeded: updateNeededOf(message) });
      this.report(this.fatal);
      conn.link?.close(1000, message.code);
      this.onClose(conn, { code: 1000, reason: message.code, opened: true });
      return;
    }
    if (action === "wait") {
      // Not a connection problem: the error stays in the status while the retry waits.
      this.report(error);
      conn.keepError = true;
      conn.link?.close(1000, message.code);
      this.onClose(conn, { code: 1000, reason: message.code, opened: true });
      return;
    }
    this.report(error);
    if (action === "reconnect") this.drop(`Server error ${message.code}: ${message.message}`, conn);
    else if (action === "repush")
      this.pushes.rewind(message.last_mutation_id ?? this.target.lastAcknowledgedId());
  }

  // ---- polling ----

  private schedulePoll(): void {
    this.pollTimer = this.timers.setTimeout(() => {
      this.pollTimer = undefined;
      if (this.conn?.kind !== "http" || this.conn.phase !== "ready") return;
      this.catchUp.pull();
      this.schedulePoll();
    }, this.options.pollIntervalMs ?? 2_000);
  }

  // ---- helpers ----

  private send(message: ClientMessage): void {
    const link = this.conn?.link;
    if (!link) return;
    const frame = encodeMessage(message);
    link.send(frame);
    this.options.tap?.frame("out", frame, message);
  }

  private report(error: SyncedStoreError): void {
    this.options.onError?.(error);
  }

  private clearTimer(name: "retryTimer" | "connectTimer" | "pollTimer"): void {
    const handle = this[name];
    if (handle !== undefined) this.timers.clearTimeout(handle);
    this[name] = undefined;
  }
}

/** The `updateNeeded` status of an `update_needed` error. */
function updateNeededOf(message: ErrorMessage): UpdateNeeded {
  return {
    reason: "client_too_old",
    clientVersion: message.client_version ?? 0,
    ...(message.min_supported_version === undefined
      ? {}
      : { minSupportedVersion: message.min_supported_version }),
    ...(message.server_version === undefined ? {} : { serverVersion: message.server_version }),
    message: message.message,
  };
}
