import { OfflineError, SyncedStoreError, toSyncedStoreError } from "../errors.js";
import { assertNever, decodeServerMessage, encodeMessage } from "../protocol/codec.js";
import type {
  ClientMessage,
  ConnectedMessage,
  ErrorMessage,
  PokeMessage,
  PullResponseMessage,
  ServerMessage,
} from "../protocol/messages.js";
import type { SyncTarget } from "../store/server-update.js";
import { ActionRequests, errorFromWire } from "./action-requests.js";
import { backoffDelay, type BackoffOptions } from "./backoff.js";
import { Heartbeat } from "./heartbeat.js";
import type { SyncStatus } from "./status.js";
import { StatusTracker } from "./status-tracker.js";
import { systemTimers, type SyncTimers, type TimerHandle } from "./timers.js";
import type { CloseInfo, Transport, TransportConnection } from "./transport.js";

/** The credential sent in `connect`: a token, or a function asked on every (re)connect. */
export type AuthSource = string | (() => string | Promise<string>);

/** Options of `SyncClient`. */
export interface SyncClientOptions {
  /** The local store to keep in sync. */
  readonly target: SyncTarget;
  /** `{store}/{instance}`. */
  readonly spaceId: string;
  readonly schemaVersion: number;
  /** The main transport, usually `webSocketTransport`. */
  readonly transport: Transport;
  /** Used after `fallbackAfterFailures` attempts in a row where `transport` could not connect. */
  readonly fallbackTransport?: Transport;
  /** @default 2 */
  readonly fallbackAfterFailures?: number;
  readonly auth?: AuthSource;
  /** @default systemTimers */
  readonly timers?: SyncTimers;
  /** Delay between a mutation and its push; 0 pushes at the end of the current task. @default 0 */
  readonly pushDelayMs?: number;
  /**
   * Least time between two pushes: mutations made meanwhile wait and share the next frame, which
   * keeps a fast writer under the server's per-connection message rate. @default 10
   */
  readonly minPushIntervalMs?: number;
  /** Mutations per `push` frame; more go in further frames. @default 100 */
  readonly maxMutationsPerPush?: number;
  /** @default 10_000 */
  readonly heartbeatIntervalMs?: number;
  /** @default 5_000 */
  readonly heartbeatTimeoutMs?: number;
  /** Time allowed from opening a connection to `connected`. @default 10_000 */
  readonly connectTimeoutMs?: number;
  /** Pull interval on a transport without pokes (HTTP). @default 2_000 */
  readonly pollIntervalMs?: number;
  /**
   * While online, how often to check for a stalled exchange — pending mutations whose
   * acknowledgement made no progress, or a pull with no answer — and then re-push from the
   * acknowledged id and pull again. Guards against frames lost by proxies. @default 10_000
   */
  readonly resyncIntervalMs?: number;
  readonly backoff?: BackoffOptions;
  /** Receives connection and protocol errors (they also show in `status.lastError`). */
  readonly onError?: (error: SyncedStoreError) => void;
}

/** Server error codes after which reconnecting cannot help: the app must act (reload, sign in). */
const FATAL_CODES: ReadonlySet<string> = new Set([
  "unsupported_schema_version",
  "unauthorized",
  "unknown_space",
]);

/** Server error codes after which this connection cannot go on, but a new one can. */
const RECONNECT_CODES: ReadonlySet<string> = new Set(["internal", "not_connected"]);

interface Connection {
  readonly id: number;
  readonly kind: Transport["kind"];
  link: TransportConnection | null;
  phase: "opening" | "handshaking" | "ready";
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
  private openFailures = 0;
  private retryTimer: TimerHandle | undefined;
  private connectTimer: TimerHandle | undefined;
  private pollTimer: TimerHandle | undefined;
  private resyncTimer: TimerHandle | undefined;
  /** `lastAcknowledgedId` at the previous resync check. */
  private ackAtLastCheck = -1;
  /** Highest mutation id sent on the current connection. */
  private sentUpTo = 0;
  private pushScheduled = false;
  private lastPushAt = Number.NEGATIVE_INFINITY;
  private pullInFlight = false;
  /** Highest version the server has announced; above `baseVersion` means we are behind. */
  private serverVersion = 0;
  /** Serializes message handling: updates must reach the store in arrival order. */
  private inbox: Promise<void> = Promise.resolve();
  private readonly unsubscribePending: () => void;

  constructor(private readonly options: SyncClientOptions) {
    this.target = options.target;
    this.timers = options.timers ?? systemTimers;
    this.actions = new ActionRequests(options.target.clientId);
    this.heartbeat = new Heartbeat({
      timers: this.timers,
      intervalMs: options.heartbeatIntervalMs ?? 10_000,
      timeoutMs: options.heartbeatTimeoutMs ?? 5_000,
      sendPing: () => this.send({ type: "ping" }),
      onTimeout: () => this.drop("No response from the server (heartbeat timeout)"),
    });
    this.unsubscribePending = this.target.onPendingAdded(() => {
      this.refreshPending();
      this.schedulePush();
    });
  }

  /** Current sync status. */
  get status(): SyncStatus {
    return this.tracker.status;
  }

  /** Calls `listener` on every status change; returns an unsubscribe. */
  onStatusChange(listener: (status: SyncStatus) => void): () => void {
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
    this.refreshPending();
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
    this.tracker.update({ connection: "offline" });
  }

  /** `stop` for good, releasing the listener on the target. */
  dispose(): void {
    this.disposed = true;
    this.stop();
    this.unsubscribePending();
  }

  /** Skips the backoff wait and connects now (e.g. on the browser's `online` event). */
  reconnectNow(): void {
    if (!this.running || this.conn !== null) return;
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
    const { fallbackTransport, fallbackAfterFailures = 2 } = this.options;
    const transport =
      fallbackTransport !== undefined && this.openFailures >= fallbackAfterFailures
        ? fallbackTransport
        : this.options.transport;
    const conn: Connection = { id: ++this.connSeq, kind: transport.kind, link: null, phase: "opening" };
    this.conn = conn;
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
    this.clearTimer("connectTimer");
    this.clearTimer("pollTimer");
    this.clearTimer("resyncTimer");
    this.heartbeat.stop();
    this.pullInFlight = false;
    this.pushScheduled = false;
    this.actions.failAll("the connection closed before its result arrived");
    if (conn.kind === "websocket" && !info.opened) this.openFailures++;
    // The fallback failed too: give WebSocket one more chance before falling back again.
    if (conn.kind === "http") this.openFailures = Math.max(0, (this.options.fallbackAfterFailures ?? 2) - 1);
    if (!this.running || this.fatal !== null) {
      this.tracker.update({ connection: "offline" });
      return;
    }
    if (conn.phase !== "ready" || info.code !== 1000) {
      const why = info.reason || (info.opened ? "Connection lost" : "Could not connect to the server");
      this.tracker.update({ lastError: { code: "connection", message: why } });
    }
    this.tracker.update({ connection: "offline" });
    const delay = backoffDelay(this.failures++, () => this.timers.random(), this.options.backoff);
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
        return this.applyUpdate(message);
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
    if (conn.kind === "websocket") this.openFailures = 0;
    this.serverVersion = message.version;
    this.sentUpTo = message.last_mutation_id;
    this.tracker.update({ connection: "online", lastError: null });
    this.refreshPending();
    if (conn.kind === "websocket") this.heartbeat.start();
    else this.schedulePoll();
    this.ackAtLastCheck = -1;
    this.scheduleResync(conn);
    // Catch up on what changed while we were away; after a history change, from scratch.
    const reset = otherHistory && hadHistory;
    if (reset || message.version !== target.baseVersion()) this.pull(otherHistory ? 0 : undefined);
    this.flushPush();
  }

  private async applyUpdate(message: PokeMessage | PullResponseMessage): Promise<void> {
    if (message.type === "pull_response") this.pullInFlight = false;
    this.serverVersion = Math.max(this.serverVersion, message.max_included_version);
    const before = this.target.baseVersion();
    const lastMutationId = message.client_id_to_last_mutation_id[this.target.clientId];
    const result = await this.target.applyServerUpdate({
      minIncludedVersion: message.min_included_version,
      maxIncludedVersion: message.max_included_version,
      patches: message.patches,
      ...(lastMutationId === undefined ? {} : { lastMutationId }),
      // Every client of this user: the store drops other tabs' mutations the server applied.
      lastMutationIds: message.client_id_to_last_mutation_id,
    });
    this.refreshPending();
    if (result.status === "gap") this.pull();
    else if (message.type === "pull_response" && this.target.baseVersion() > before) {
      // Pokes that arrived during the pull may have gapped; catch up with what they announced.
      if (this.serverVersion > this.target.baseVersion()) this.pull();
    }
  }

  private onServerError(conn: Connection, message: ErrorMessage): void {
    const error = errorFromWire(message.code, message.message);
    this.tracker.update({ lastError: { code: message.code, message: message.message } });
    const staticAuth = typeof this.options.auth !== "function";
    if (FATAL_CODES.has(message.code) || (message.code === "unauthenticated" && staticAuth)) {
      this.fatal = new SyncedStoreError(error.code, `${message.code}: ${message.message}`);
      this.report(this.fatal);
      conn.link?.close(1000, message.code);
      this.onClose(conn, { code: 1000, reason: message.code, opened: true });
      return;
    }
    this.report(error);
    if (RECONNECT_CODES.has(message.code)) {
      // The server lost track of this connection's state: start over with a fresh handshake.
      this.drop(`Server error ${message.code}: ${message.message}`, conn);
      return;
    }
    if (message.code === "mutation_gap") {
      this.sentUpTo = message.last_mutation_id ?? this.target.lastAcknowledgedId();
      this.flushPush();
    }
  }

  // ---- push and pull ----

  private schedulePush(): void {
    if (this.pushScheduled || this.conn?.phase !== "ready") return;
    this.pushScheduled = true;
    const sinceLast = this.timers.now() - this.lastPushAt;
    const delay = Math.max(this.options.pushDelayMs ?? 0, (this.options.minPushIntervalMs ?? 10) - sinceLast);
    // With no delay, mutations made in the same task still share one frame.
    if (delay <= 0) queueMicrotask(() => this.flushPush());
    else this.timers.setTimeout(() => this.flushPush(), delay);
  }

  private flushPush(): void {
    this.pushScheduled = false;
    const conn = this.conn;
    if (conn?.phase !== "ready") return;
    const mutations = this.target.pendingMutations(this.sentUpTo);
    const max = Math.max(1, this.options.maxMutationsPerPush ?? 100);
    if (mutations.length > 0) this.lastPushAt = this.timers.now();
    for (let i = 0; i < mutations.length; i += max) {
      const batch = mutations.slice(i, i + max);
      this.send({ type: "push", client_id: this.target.clientId, mutations: batch });
      this.sentUpTo = batch[batch.length - 1]?.id ?? this.sentUpTo;
    }
    // Without pokes, the push's effect (and its acknowledgement) arrives only by pulling.
    if (mutations.length > 0 && conn.kind === "http") this.pull();
  }

  private pull(baseVersion = this.target.baseVersion()): void {
    if (this.pullInFlight || this.conn?.phase !== "ready") return;
    this.pullInFlight = true;
    this.send({ type: "pull", client_id: this.target.clientId, base_version: baseVersion });
  }

  private schedulePoll(): void {
    this.pollTimer = this.timers.setTimeout(() => {
      this.pollTimer = undefined;
      if (this.conn?.kind !== "http" || this.conn.phase !== "ready") return;
      this.pull();
      this.schedulePoll();
    }, this.options.pollIntervalMs ?? 2_000);
  }

  private scheduleResync(conn: Connection): void {
    this.resyncTimer = this.timers.setTimeout(() => {
      this.resyncTimer = undefined;
      if (conn !== this.conn || conn.phase !== "ready") return;
      const acked = this.target.lastAcknowledgedId();
      const stalledPush = this.target.pendingCount() > 0 && acked === this.ackAtLastCheck;
      if (stalledPush || this.pullInFlight) {
        // A push, its poke or a pull got lost: start over from what the server confirmed.
        this.pullInFlight = false;
        this.sentUpTo = acked;
        this.flushPush();
        this.pull();
      }
      this.ackAtLastCheck = acked;
      this.scheduleResync(conn);
    }, this.options.resyncIntervalMs ?? 10_000);
  }

  // ---- helpers ----

  private send(message: ClientMessage): void {
    this.conn?.link?.send(encodeMessage(message));
  }

  private refreshPending(): void {
    this.tracker.update({ pendingCount: this.target.pendingCount() });
  }

  private report(error: SyncedStoreError): void {
    this.options.onError?.(error);
  }

  private clearTimer(name: "retryTimer" | "connectTimer" | "pollTimer" | "resyncTimer"): void {
    const handle = this[name];
    if (handle !== undefined) this.timers.clearTimeout(handle);
    this[name] = undefined;
  }
}
