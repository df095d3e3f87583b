import {
  decodeServerMessage,
  encodeMessage,
  type ClientMessage,
  type ServerMessage,
} from "@synced-store/core/protocol";
import { WebSocket, type ClientOptions } from "ws";

/**
 * A bare WebSocket client for server tests: sends raw frames, records every frame received
 * (raw text and decoded), and waits for messages by predicate.
 */
export class RawClient {
  readonly frames: string[] = [];
  readonly messages: ServerMessage[] = [];
  closed: { code: number; reason: string } | undefined;
  #waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const text = Buffer.from(data as ArrayBuffer).toString();
      this.frames.push(text);
      this.messages.push(decodeServerMessage(text));
      this.#wake();
    });
    ws.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.#wake();
    });
  }

  /** Opens a client to `url` (`options` go to `ws`, e.g. `{ perMessageDeflate: false }`). */
  static async open(url: string, options?: ClientOptions): Promise<RawClient> {
    const ws = new WebSocket(url, options);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return new RawClient(ws);
  }

  /** Bytes read from the TCP socket so far: frames as they came over the wire, compressed or not. */
  get bytesRead(): number {
    return (this.ws as unknown as { _socket: { bytesRead: number } })._socket.bytesRead;
  }

  send(message: ClientMessage): void {
    this.ws.send(encodeMessage(message));
  }

  sendRaw(frame: string | Buffer): void {
    this.ws.send(frame);
  }

  /** Sends `connect` and waits for `connected` (or an error). */
  async connect(options: {
    space: string;
    clientId: string;
    auth?: string;
    historyId?: string | null;
    baseVersion?: number;
    lastMutationId?: number;
    schemaVersion?: number;
  }): Promise<ServerMessage> {
    const before = this.messages.length;
    this.send({
      type: "connect",
      space: options.space,
      client_id: options.clientId,
      ...(options.auth === undefined ? {} : { auth: options.auth }),
      history_id: options.historyId ?? null,
      base_version: options.baseVersion ?? 0,
      last_mutation_id: options.lastMutationId ?? 0,
      schema_version: options.schemaVersion ?? 1,
    });
    return this.waitFor((m) => m.type === "connected" || m.type === "error", before);
  }

  /** Sends `ping` and waits for its `pong`: every message sent before it has been handled. */
  async roundTrip(): Promise<void> {
    const from = this.messages.length;
    this.send({ type: "ping" });
    await this.waitFor((m) => m.type === "pong", from);
  }

  /** Resolves with the first message at index `>= from` matching `predicate`. */
  async waitFor<T extends ServerMessage>(
    predicate: (m: ServerMessage) => m is T,
    from?: number,
    timeoutMs?: number,
  ): Promise<T>;
  async waitFor(
    predicate: (m: ServerMessage) => boolean,
    from?: number,
    timeoutMs?: number,
  ): Promise<ServerMessage>;
  async waitFor(
    predicate: (m: ServerMessage) => boolean,
    from = 0,
    timeoutMs = 10_000,
  ): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.slice(from).find(predicate);
      if (found) return found;
      if (this.closed) throw new Error(`Closed (${this.closed.code} ${this.closed.reason}) while waiting`);
      if (Date.now() > deadline)
        throw new Error(`Timed out waiting; got ${JSON.stringify(this.messages.slice(from))}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Waits for the socket to close. */
  async waitClosed(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error("Timed out waiting for close");
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.closed;
  }

  /** The highest `max_included_version` of pokes and pull responses received. */
  version(): number {
    let v = 0;
    for (const m of this.messages)
      if (m.type === "poke" || m.type === "pull_response") v = Math.max(v, m.max_included_version);
    return v;
  }

  close(): void {
    this.ws.close();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
