import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { BusSubscribers, decodeNotice, encodeNotice, type Bus } from "./bus.js";
import { reconnectDelayMs, type ReconnectDelay } from "./reconnect-delay.js";

/** Options of `createRedisBus`. */
export interface RedisBusOptions {
  /** `redis://host:port[/db]`. */
  url: string;
  /**
   * Prefix of the channel names (`${prefix}versions`, `${prefix}presence`), to share one Redis
   * between deployments. @default "synced-store:"
   */
  prefix?: string;
  /** Retry delays after a connection is lost. */
  reconnect?: ReconnectDelay;
  /** Connection errors and exceptions thrown by handlers. @default ignore */
  onError?: (error: unknown) => void;
}

/**
 * A bus on Redis pub/sub (ioredis): one connection subscribes, one publishes. When the subscribing
 * connection comes back after a loss, the bus subscribes again and only then calls `onResync`,
 * so a notice published after the subscribers re-read their versions cannot be missed.
 */
export async function createRedisBus(options: RedisBusOptions): Promise<Bus> {
  const channel = `${options.prefix ?? "synced-store:"}versions`;
  const presenceChannel = `${options.prefix ?? "synced-store:"}presence`;
  const onError = options.onError ?? (() => undefined);
  const id = randomUUID();
  const subscribers = new BusSubscribers(onError);
  const common = {
    lazyConnect: true,
    retryStrategy: (times: number) => reconnectDelayMs(times - 1, options.reconnect),
  };
  const publisher = new Redis(options.url, common);
  // Resubscribing is done below, so that it is known to be complete before the resync.
  const subscriber = new Redis(options.url, {
    ...common,
    autoResubscribe: false,
    connectionName: `synced-store-bus-${id}`,
  });
  publisher.on("error", onError);
  subscriber.on("error", onError);
  subscriber.on("message", (from: string, payload: string) => {
    if (from === presenceChannel) return subscribers.presence(payload);
    if (from !== channel) return;
    const notice = decodeNotice(payload);
    if (notice) subscribers.version(notice);
  });
  let closed = false;
  let readyOnce = false;
  subscriber.on("ready", () => {
    if (!readyOnce) {
      readyOnce = true;
      return;
    }
    subscriber.subscribe(channel, presenceChannel).then(
      () => {
        if (!closed) subscribers.resync();
      },
      (error: unknown) => onError(error),
    );
  });

  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
    await subscriber.subscribe(channel, presenceChannel);
  } catch (error) {
    publisher.disconnect();
    subscriber.disconnect();
    throw error;
  }

  return {
    id,
    async publish(spaceId, version) {
      if (closed) throw new Error("Bus is closed");
      await publisher.publish(channel, encodeNotice({ spaceId, version, origin: id }));
    },
    async publishPresence(payload) {
      if (closed) throw new Error("Bus is closed");
      await publisher.publish(presenceChannel, payload);
    },
    subscribe: (handlers) => subscribers.add(handlers),
    async close() {
      if (closed) return;
      closed = true;
      subscribers.clear();
      await Promise.all([
        publisher.quit().catch(() => publisher.disconnect()),
        subscriber.quit().catch(() => subscriber.disconnect()),
      ]);
    },
  };
}
