import type { SyncedStoreError } from "../errors.js";
import { httpTransport, type FetchLike } from "./http-transport.js";
import { browserOnlineSignal, onNetworkChange, type OnlineSignal } from "./network-events.js";
import { SyncClient, type AuthSource, type SyncClientOptions } from "./sync-client.js";
import type { SyncConnector } from "./sync-layer.js";
import type { Transport } from "./transport.js";
import { webSocketTransport, type WebSocketConstructor } from "./websocket-transport.js";

/** Options of `connectToServer`. */
export interface ServerConnectionOptions extends Partial<
  Pick<
    SyncClientOptions,
    | "timers"
    | "pushDelayMs"
    | "minPushIntervalMs"
    | "resyncIntervalMs"
    | "maxMutationsPerPush"
    | "heartbeatIntervalMs"
    | "heartbeatTimeoutMs"
    | "connectTimeoutMs"
    | "pollIntervalMs"
    | "backoff"
    | "fallbackAfterFailures"
    | "presenceIntervalMs"
  >
> {
  /** The server's WebSocket endpoint, e.g. `wss://example.com/sync`. */
  readonly url: string;
  /** Sent in `connect`: a token, or a function asked on every (re)connect. */
  readonly auth?: AuthSource;
  /** The server's HTTP endpoints base, used when WebSocket cannot connect. @default no fallback */
  readonly httpUrl?: string;
  /** @default globalThis.WebSocket (pass `WebSocket` from `ws` in Node) */
  readonly WebSocket?: WebSocketConstructor;
  /** @default globalThis.fetch */
  readonly fetch?: FetchLike;
  /** Replaces the WebSocket transport entirely (tests, custom hosts). */
  readonly transport?: Transport;
  /**
   * When it reports the device offline, drop the connection at once (instead of waiting for the
   * heartbeat to time out); back online, reconnect at once instead of waiting out the backoff.
   * `null` turns this off. @default the browser's `online` / `offline` events, where there are some
   */
  readonly onlineSignal?: OnlineSignal | null;
}

/**
 * Syncs a store with a Synced-Store server: pass the result as `createStore`'s `connect` option.
 *
 * @example
 * createStore(todo, { space: "list-1", userId, connect: connectToServer({ url: "wss://host/sync", auth }) })
 */
export function connectToServer(options: ServerConnectionOptions): SyncConnector {
  return (target, context) => {
    const transport =
      options.transport ??
      webSocketTransport({
        url: options.url,
        ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
      });
    const fallback =
      options.httpUrl === undefined
        ? undefined
        : httpTransport({ url: options.httpUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
    const {
      url: _url,
      auth,
      httpUrl: _h,
      WebSocket: _w,
      fetch: _f,
      transport: _t,
      onlineSignal,
      ...tuning
    } = options;
    const client = new SyncClient({
      ...tuning,
      target,
      spaceId: context.spaceId,
      schemaVersion: context.definition.schemaVersion,
      transport,
      ...(fallback ? { fallbackTransport: fallback } : {}),
      presence: context.presence,
      ...(auth === undefined ? {} : { auth }),
      tap: context.tap,
      onError: (error: SyncedStoreError) => context.onError(error),
    });
    client.start();
    const stopListening = onNetworkChange(
      onlineSignal === null ? undefined : (onlineSignal ?? browserOnlineSignal()),
      {
        online: () => client.reconnectNow(),
        offline: () => {
          client.stop();
          client.start();
        },
      },
    );
    return {
      status: () => client.status,
      onStatusChange: (listener) => client.onStatusChange(() => listener()),
      action: (name, args) => client.callAction(name, args),
      close: () => {
        stopListening();
        client.dispose();
        return Promise.resolve();
      },
    };
  };
}
