import { WebSocket } from "ws";

/** What one load client needs to know. */
export interface LoadClientOptions {
  readonly url: string;
  readonly space: string;
  readonly clientId: string;
  readonly auth: string;
  readonly schemaVersion: number;
  readonly mutator: string;
  /** The mutator's arguments as JSON text, `{client}`, `{space}` and `{seq}` not yet replaced. */
  readonly args: string;
  /** A mutation was confirmed (its client's last mutation id reached it in a poke) after `ms`. */
  readonly onConfirmed: (ms: number) => void;
  /** The server refused something or the connection failed: `code` names what. */
  readonly onError: (code: string) => void;
}

/**
 * One lean client of `synced-store load`: speaks the wire protocol directly (connect, push, read
 * pokes), keeping no local store, so one process can drive thousands of them. A mutation counts
 * as confirmed when a poke carries this client's last mutation id at or past it: that is when a
 * real client would see its write become the server's.
 */
export class LoadClient {
  readonly #socket: WebSocket;
  /** `performance.now()` each unconfirmed mutation id was pushed at. */
  readonly #sent = new Map<number, number>();
  #seq = 0;
  #connected = false;

  constructor(private readonly options: LoadClientOptions) {
    this.#socket = new WebSocket(options.url);
  }

  /** Mutations pushed and not confirmed yet. */
  get pending(): number {
    return this.#sent.size;
  }

  /** Resolves once the server answered the handshake; rejects on failure or after `timeoutMs`. */
  connect(timeoutMs: number): Promise<void> {
    const { options } = this;
    return new Promise((resolve, reject) => {
      const fail = (code: string) => {
        clearTimeout(timer);
        if (!this.#connected) reject(new Error(code));
      };
      const timer = setTimeout(() => {
        fail("connect_timeout");
        this.#socket.terminate();
      }, timeoutMs);
      this.#socket.on("error", () => {
        if (this.#connected) options.onError("socket_error");
        fail("socket_error");
      });
      this.#socket.on("close", (code) => {
        if (this.#connected) options.onError(`closed_${code}`);
        fail(`closed_${code}`);
      });
      this.#socket.on("open", () =>
        this.#send({
          type: "connect",
          space: options.space,
          client_id: options.clientId,
          auth: options.auth,
          history_id: null,
          base_version: 0,
          last_mutation_id: 0,
          schema_version: options.schemaVersion,
        }),
      );
      this.#socket.on("message", (data: Buffer) => {
        const message = JSON.parse(data.toString()) as ServerFrame;
        if (message.type === "connected") {
          clearTimeout(timer);
          this.#connected = true;
          // A fresh client id may still be known to the server from an earlier run.
          this.#seq = message.last_mutation_id ?? 0;
          resolve();
        } else if (message.type === "poke") {
          this.#confirm(message.client_id_to_last_mutation_id?.[options.clientId]);
        } else if (message.type === "mutation_error" || message.type === "error") {
          options.onError(message.code ?? message.type);
          if (!this.#connected) fail(message.code ?? message.type);
        }
      });
    });
  }

  /** Pushes the next mutation. */
  mutate(): void {
    if (this.#socket.readyState !== WebSocket.OPEN) return;
    const { options } = this;
    const id = ++this.#seq;
    const args = options.args
      .replaceAll("{client}", options.clientId)
      .replaceAll("{space}", options.space)
      .replaceAll("{seq}", String(id));
    this.#sent.set(id, performance.now());
    this.#socket.send(
      `{"type":"push","client_id":${JSON.stringify(options.clientId)},"mutations":[` +
        `{"id":${id},"name":${JSON.stringify(options.mutator)},"args":${args},"timestamp":${Date.now()}}]}`,
    );
  }

  close(): void {
    this.#connected = false;
    this.#socket.terminate();
  }

  #confirm(last: number | undefined): void {
    if (last === undefined) return;
    const now = performance.now();
    for (const [id, at] of this.#sent) {
      if (id > last) continue;
      this.options.onConfirmed(now - at);
      this.#sent.delete(id);
    }
  }

  #send(message: object): void {
    this.#socket.send(JSON.stringify(message));
  }
}

interface ServerFrame {
  readonly type: string;
  readonly code?: string;
  readonly last_mutation_id?: number;
  readonly client_id_to_last_mutation_id?: Record<string, number>;
}
