/**
 * Client↔server test harness: a real sync server (SQLite file, `ws` on loopback port 0) and real
 * stores connected to it, with every frame each store received recorded raw.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  connectToServer,
  createStore,
  type PersistenceProvider,
  type Store,
  type Transport,
  type WebSocketConstructor,
  webSocketTransport,
} from "@synced-store/core";
import { createSyncServer, type Limits, type Storage, type SyncServer } from "@synced-store/server";
import { listen, type RunningServer } from "@synced-store/server/node";
import { openSqliteStorage } from "@synced-store/server/sqlite";
import { testSyncTimings, waitForConvergence } from "@synced-store/server/testing";
import { WebSocket } from "ws";
import { notesStore } from "./notes-definition.js";

export type NotesStore = Store<typeof notesStore>;

/** `ws` as the sync client's WebSocket constructor. */
export const NodeWebSocket = WebSocket as unknown as WebSocketConstructor;

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix = "synced-store-e2e-"): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A running server of the notes store. */
export interface E2EServer {
  readonly server: SyncServer;
  readonly running: RunningServer;
  readonly storage: Storage;
  /** `ws://127.0.0.1:{port}/sync` */
  readonly url: string;
  /** `http://127.0.0.1:{port}/sync` */
  readonly httpUrl: string;
  /** The space's canonical state, every key included. */
  snapshot(spaceId: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Starts the notes server on SQLite at `dbPath` (or in memory), users authenticate as their token. */
export async function startE2EServer(
  options: { dbPath?: string; port?: number; limits?: Partial<Limits> } = {},
): Promise<E2EServer> {
  const storage = openSqliteStorage({ path: options.dbPath ?? ":memory:" });
  const server = createSyncServer({
    stores: [notesStore],
    storage,
    authenticate: ({ auth }) => auth,
    // The tests drive many messages from one connection on purpose.
    limits: { messagesPerSecond: 10_000, ...options.limits },
  });
  const running = await listen(server, { port: options.port ?? 0 });
  return {
    server,
    running,
    storage,
    url: running.url,
    httpUrl: `http://127.0.0.1:${running.port}/sync`,
    snapshot: (spaceId) =>
      storage.read(spaceId, async (r) =>
        Object.fromEntries((await r.snapshot()).map((row) => [row.key, row.value])),
      ),
    async close() {
      await running.close();
      await server.close();
    },
  };
}

/** Wraps `inner` so every frame received is also appended to `frames`. */
export function recordingTransport(inner: Transport, frames: string[]): Transport {
  return {
    kind: inner.kind,
    open: (handlers) =>
      inner.open({
        ...handlers,
        onFrame: (frame) => {
          frames.push(frame);
          handlers.onFrame(frame);
        },
      }),
  };
}

/** Options of `openClient`. */
export interface ClientOptions {
  readonly url: string;
  readonly space: string;
  readonly userId: string;
  readonly clientId?: string;
  readonly persistence?: PersistenceProvider;
  readonly httpUrl?: string;
  /** Use the sync client's default timings instead of the short test ones. @default false */
  readonly productionTimings?: boolean;
  /** Keep every frame received in `frames`. @default true */
  readonly record?: boolean;
  /** Wraps the WebSocket transport (e.g. to time frames). */
  readonly wrapTransport?: (inner: Transport) => Transport;
}

/**
 * A store connected over WebSocket (through `url`, which may be a proxy); `frames` records every
 * frame it received over WebSocket (not over the HTTP fallback).
 */
export function openClient(options: ClientOptions): { store: NotesStore; frames: string[] } {
  const frames: string[] = [];
  const ws = webSocketTransport({ url: options.url, WebSocket: NodeWebSocket });
  const recorded = options.record === false ? ws : recordingTransport(ws, frames);
  const store = createStore(notesStore, {
    space: options.space,
    userId: options.userId,
    ...(options.clientId ? { clientId: options.clientId } : {}),
    ...(options.persistence ? { persistence: options.persistence } : {}),
    connect: connectToServer({
      url: options.url,
      transport: options.wrapTransport ? options.wrapTransport(recorded) : recorded,
      auth: options.userId,
      ...(options.httpUrl ? { httpUrl: options.httpUrl, fallbackAfterFailures: 1 } : {}),
      // Short timings keep recovery within a test's patience; production defaults are longer.
      ...(options.productionTimings ? {} : testSyncTimings),
    }),
  });
  return { store, frames };
}

/**
 * Waits until every store holds exactly the server's state of `spaceId` as its user may see it,
 * with nothing pending. Throws the last difference after `timeoutMs`.
 */
export function waitConverged(
  server: Pick<E2EServer, "snapshot">,
  spaceId: string,
  stores: readonly NotesStore[],
  timeoutMs = 20_000,
): Promise<Record<string, unknown>> {
  return waitForConvergence((id) => server.snapshot(id), spaceId, stores, timeoutMs);
}
