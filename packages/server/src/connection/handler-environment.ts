import type { Limits } from "../engine/limits.js";
import type { Space } from "../engine/space.js";
import type { Logger } from "../logger.js";
import type { ServerMetrics } from "../metrics/server-metrics.js";
import type { PresenceHub } from "../presence/presence-hub.js";
import type { HostRuntime } from "../runtime/host-runtime.js";
import type { ConnectionInfo, ServerHooks } from "./hooks.js";

/** A connection past its handshake, as `SyncServer.disconnect` finds it. */
export interface Session {
  readonly info: ConnectionInfo;
  /** Sends `error` `revoked` with `message` and closes the connection (close code 4410). */
  revoke(message: string): void;
}

/** What a connection handler needs from the server. */
export interface HandlerEnvironment {
  readonly hooks: ServerHooks;
  readonly limits: Limits;
  readonly logger: Logger;
  readonly metrics: ServerMetrics;
  /** The host's byte counting (frame limits). */
  readonly runtime: HostRuntime;
  /** The space with this id, or undefined when no store of that name is served. */
  space(spaceId: string): Space | undefined;
  /** Every space's presence in this process. */
  readonly presence: PresenceHub;
  /** Milliseconds clock for rate limiting. */
  readonly now?: () => number;
  /** Clock of credential expiries, ms since the epoch. @default Date.now */
  readonly wallClock?: () => number;
  /** The connections past their handshake, for `SyncServer.disconnect`. */
  readonly sessions: Set<Session>;
}
