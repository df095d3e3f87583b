import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import { seededRandom } from "./seeded-random.js";

/** What the proxy does to frames; rates are per frame, in [0, 1]. */
export interface Faults {
  /** Each frame waits a random time in this range before delivery. @default [0, 0] */
  readonly delayMs?: readonly [number, number];
  /** Share of frames that may overtake earlier ones (others keep order behind them). @default 0 */
  readonly reorderRate?: number;
  /** Share of frames delivered twice. @default 0 */
  readonly duplicateRate?: number;
  /** Share of frames dropped. @default 0 */
  readonly dropRate?: number;
  /** Share of frames on which the whole connection is cut (both sides closed). @default 0 */
  readonly cutRate?: number;
}

/** Options of `FaultProxy.start`. */
export interface FaultProxyOptions {
  /** Seed of every fault decision; print it so a failing run can be replayed. */
  readonly seed: number;
  /** Where to forward: a URL, or one chosen per connection (e.g. round-robin over servers). */
  readonly upstream: string | ((connectionIndex: number) => string);
  readonly faults?: Faults;
  /**
   * Sees every frame as its sender sent it, before any fault: `up` from a client, `down` from the
   * server, with the index of the client connection (counting from 0). @default none
   */
  readonly onFrame?: (frame: string, direction: "up" | "down", connection: number) => void;
}

/** Counts of what the proxy did, for test output. */
export interface FaultStats {
  connections: number;
  frames: number;
  dropped: number;
  duplicated: number;
  reordered: number;
  cuts: number;
}

interface Pair {
  readonly client: WebSocket;
  readonly server: WebSocket;
  readonly index: number;
  /** Delivery times scheduled so far per direction, to keep in-order frames in order. */
  lastAt: { up: number; down: number };
  cut: boolean;
}

/**
 * A loopback WebSocket proxy between sync clients and a server that delays, reorders, duplicates
 * and drops frames and cuts connections, every decision drawn from one seeded generator.
 * Timing still varies between runs, so a seed replays the fault pattern, not the exact interleaving.
 */
export class FaultProxy {
  readonly stats: FaultStats = {
    connections: 0,
    frames: 0,
    dropped: 0,
    duplicated: 0,
    reordered: 0,
    cuts: 0,
  };
  private faults: Faults;
  private readonly random: () => number;
  private readonly pairs = new Set<Pair>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  private constructor(
    private readonly wss: WebSocketServer,
    private readonly options: FaultProxyOptions,
  ) {
    this.faults = options.faults ?? {};
    this.random = seededRandom(options.seed);
    wss.on("connection", (socket) => this.accept(socket));
  }

  /** Starts a proxy on a free loopback port. */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve, reject) => {
      wss.once("listening", resolve);
      wss.once("error", reject);
    });
    return new FaultProxy(wss, options);
  }

  /** `ws://127.0.0.1:{port}`: where clients connect instead of the server. */
  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
  }

  /** Replaces the fault settings (e.g. `{}` to heal the network). */
  setFaults(faults: Faults): void {
    this.faults = faults;
  }

  /** Cuts every open connection now. */
  cutAll(): void {
    for (const pair of [...this.pairs]) this.cut(pair);
  }

  /** Number of client connections currently open through the proxy. */
  get openConnections(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.cutAll();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(client: WebSocket): void {
    const index = this.stats.connections++;
    const { upstream } = this.options;
    const server = new WebSocket(typeof upstream === "string" ? upstream : upstream(index));
    const pair: Pair = { client, server, index, lastAt: { up: 0, down: 0 }, cut: false };
    this.pairs.add(pair);
    // Frames from the client wait until the upstream socket opens (the order is kept).
    const early: string[] = [];
    client.on("message", (data, isBinary) => {
      const frame = text(data, isBinary);
      if (server.readyState === WebSocket.OPEN) this.forward(pair, frame, "up");
      else early.push(frame);
    });
    server.on("open", () => {
      for (const frame of early.splice(0)) this.forward(pair, frame, "up");
    });
    server.on("message", (data, isBinary) => this.forward(pair, text(data, isBinary), "down"));
    const end = () => this.cut(pair, false);
    client.on("close", end);
    server.on("close", end);
    client.on("error", end);
    server.on("error", end);
  }

  private forward(pair: Pair, frame: string, direction: "up" | "down"): void {
    if (pair.cut) return;
    this.options.onFrame?.(frame, direction, pair.index);
    const f = this.faults;
    this.stats.frames++;
    if (this.random() < (f.cutRate ?? 0)) {
      this.cut(pair);
      return;
    }
    if (this.random() < (f.dropRate ?? 0)) {
      this.stats.dropped++;
      return;
    }
    const copies = this.random() < (f.duplicateRate ?? 0) ? 2 : 1;
    if (copies === 2) this.stats.duplicated++;
    for (let i = 0; i < copies; i++) this.schedule(pair, frame, direction);
  }

  private schedule(pair: Pair, frame: string, direction: "up" | "down"): void {
    const [min, max] = this.faults.delayMs ?? [0, 0];
    const now = performance.now();
    let at = now + min + this.random() * (max - min);
    if (this.random() < (this.faults.reorderRate ?? 0)) this.stats.reordered++;
    else at = Math.max(at, pair.lastAt[direction]);
    pair.lastAt[direction] = Math.max(pair.lastAt[direction], at);
    const target = direction === "up" ? pair.server : pair.client;
    const deliver = () => {
      if (!pair.cut && target.readyState === WebSocket.OPEN) target.send(frame);
    };
    if (at <= now && max === 0) {
      deliver();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      deliver();
    }, at - now);
    this.timers.add(timer);
  }

  private cut(pair: Pair, counted = true): void {
    if (pair.cut) return;
    pair.cut = true;
    if (counted) this.stats.cuts++;
    this.pairs.delete(pair);
    pair.client.terminate();
    pair.server.terminate();
  }
}

function text(data: RawData, isBinary: boolean): string {
  if (!isBinary && typeof data === "string") return data;
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.from(data as ArrayBuffer).toString("utf8");
}
