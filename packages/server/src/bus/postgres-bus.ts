import { randomUUID } from "node:crypto";
import pg from "pg";
import { BusSubscribers, decodeNotice, encodeNotice, type Bus } from "./bus.js";
import { reconnectDelayMs, type ReconnectDelay } from "./reconnect-delay.js";

/** Options of `createPostgresBus`. */
export interface PostgresBusOptions {
  /** `postgres://…` of the database every process shares. */
  connectionString: string;
  /** NOTIFY channel; lower-case letters, digits and `_`. @default "synced_store_versions" */
  channel?: string;
  /** NOTIFY channel of presence, same rules. @default `${channel}_presence` */
  presenceChannel?: string;
  /** Retry delays after the listening connection is lost. */
  reconnect?: ReconnectDelay;
  /** Connection errors and exceptions thrown by handlers. @default ignore */
  onError?: (error: unknown) => void;
}

/**
 * A bus on PostgreSQL LISTEN/NOTIFY: no extra infrastructure beside the database. One dedicated
 * connection listens; publishing uses a small pool. When the listening connection drops, the
 * bus reconnects with backoff, LISTENs again and calls `onResync`: notices sent meanwhile are
 * lost (NOTIFY is not queued for absent listeners), so subscribers re-read versions.
 */
export async function createPostgresBus(options: PostgresBusOptions): Promise<Bus> {
  const channel = options.channel ?? "synced_store_versions";
  const presenceChannel = options.presenceChannel ?? `${channel}_presence`;
  for (const name of [channel, presenceChannel]) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new TypeError(`Invalid NOTIFY channel name: ${name}`);
  }
  const onError = options.onError ?? (() => undefined);
  const id = randomUUID();
  const subscribers = new BusSubscribers(onError);
  const publisher = new pg.Pool({ connectionString: options.connectionString, max: 2 });
  publisher.on("error", onError);
  let listener: pg.Client | undefined;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  /** Opens the listening connection; rejects when it cannot. */
  async function listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: options.connectionString,
      keepAlive: true,
      application_name: `synced-store-bus-${id}`,
    });
    client.on("notification", (message) => {
      if (message.payload === undefined) return;
      if (message.channel === presenceChannel) return subscribers.presence(message.payload);
      if (message.channel !== channel) return;
      const notice = decodeNotice(message.payload);
      if (notice) subscribers.version(notice);
    });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (error) onError(error);
      if (listener === client) listener = undefined;
      void client.end().catch(() => undefined);
      if (!closed) scheduleReconnect(0);
    };
    client.on("error", onLost);
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}; LISTEN ${presenceChannel}`);
    } catch (error) {
      lost = true;
      client.removeAllListeners("error");
      client.on("error", () => undefined);
      await client.end().catch(() => undefined);
      throw error;
    }
    client.on("end", () => onLost());
    listener = client;
  }

  function scheduleReconnect(attempt: number): void {
    retry = setTimeout(
      () => {
        retry = undefined;
        if (closed) return;
        listen().then(
          () => {
            if (closed) void listener?.end();
            else subscribers.resync();
          },
          (error: unknown) => {
            onError(error);
            if (!closed) scheduleReconnect(attempt + 1);
          },
        );
      },
      reconnectDelayMs(attempt, options.reconnect),
    );
  }

  try {
    await listen();
  } catch (error) {
    await publisher.end();
    throw error;
  }
  // A group commit publishes many spaces at once: their notices go in one statement.
  const notices = new NoticeBatch((payloads) =>
    publisher.query("SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p", [channel, payloads]),
  );

  return {
    id,
    publish(spaceId, version) {
      if (closed) return Promise.reject(new Error("Bus is closed"));
      return notices.add(encodeNotice({ spaceId, version, origin: id }));
    },
    async publishPresence(payload) {
      if (closed) throw new Error("Bus is closed");
      await publisher.query("SELECT pg_notify($1, $2)", [presenceChannel, payload]);
    },
    subscribe: (handlers) => subscribers.add(handlers),
    async close() {
      if (closed) return;
      closed = true;
      if (retry) clearTimeout(retry);
      subscribers.clear();
      const client = listener;
      listener = undefined;
      await Promise.all([client?.end().catch(() => undefined), publisher.end()]);
    },
  };
}

/** Payloads published in the same tick, sent together by one `send`; each `add` settles with it. */
class NoticeBatch {
  #pending: Array<{ payload: string; resolve(): void; reject(error: unknown): void }> = [];

  constructor(private readonly send: (payloads: string[]) => Promise<unknown>) {}

  add(payload: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ payload, resolve, reject });
      if (this.#pending.length === 1) queueMicrotask(() => this.#flush());
    });
  }

  #flush(): void {
    const batch = this.#pending;
    this.#pending = [];
    this.send(batch.map((n) => n.payload)).then(
      () => batch.forEach((n) => n.resolve()),
      (error: unknown) => batch.forEach((n) => n.reject(error)),
    );
  }
}
