import type { BusState } from "../bus/bus-state.js";
import type { SpaceConnection } from "../engine/poke-buffer.js";
import type { RejectionLog } from "../engine/rejection-log.js";
import type { SpaceState } from "../engine/space-state.js";

/** One connected client of a space, for operators. */
export interface InspectedClient {
  readonly clientId: string;
  /** The last mutation id the server processed for it (0 = none). */
  readonly lastMutationId: number;
  /** The version last sent to this connection. */
  readonly version: number;
}

/** One space this process holds, for operators. */
export interface InspectedSpace {
  readonly id: string;
  readonly historyId: string;
  readonly version: number;
  /** Live keys (every visibility level: shared, private and server-only). */
  readonly keyCount: number;
  /** Clients the space has ever processed mutations of. */
  readonly knownClients: number;
  /** Open connections by user, each with its clients. */
  readonly users: ReadonlyArray<{ readonly userId: string; readonly clients: readonly InspectedClient[] }>;
  /** Rejections this process keeps in memory for the space, and their bytes (both bounded, see `Limits`). */
  readonly keptRejections: { readonly count: number; readonly bytes: number };
  /** The newest rejections, newest first (kept in memory by this process, bounded). */
  readonly recentRejections: ReadonlyArray<{
    readonly clientId: string;
    readonly mutationId: number;
    readonly code: string;
    readonly message: string;
  }>;
}

/** What `SyncServer.inspect` reports: for operators only, with no visibility filtering. */
export interface ServerInspection {
  /** ISO time of the report. */
  readonly at: string;
  readonly connections: number;
  /** Spaces this process holds in memory (connected, or used within `idleSpaceMs`), by id. */
  readonly spaces: readonly InspectedSpace[];
  /** Null when the server runs alone (no bus). */
  readonly bus: BusState | null;
}

/** Rejections listed per space. */
const REJECTIONS_SHOWN = 20;

/** Builds the report from the spaces a server holds (see `inspectSpace`) and its bus watcher. */
export function inspectServer(
  spaces: Iterable<{ inspect(): InspectedSpace }>,
  connections: number,
  bus: BusState | null,
): ServerInspection {
  const list = [...spaces].map((s) => s.inspect()).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { at: new Date().toISOString(), connections, spaces: list, bus };
}

/** What a space shows operators of itself. */
export function inspectSpace(space: {
  readonly id: string;
  readonly state: SpaceState;
  readonly connections: ReadonlySet<SpaceConnection>;
  readonly rejections: RejectionLog;
}): InspectedSpace {
  const byUser = new Map<string, InspectedClient[]>();
  for (const conn of space.connections) {
    const clients = byUser.get(conn.userId) ?? [];
    clients.push({
      clientId: conn.clientId,
      lastMutationId: space.state.clients.get(conn.clientId)?.lastMutationId ?? 0,
      version: conn.version,
    });
    byUser.set(conn.userId, clients);
  }
  return {
    id: space.id,
    historyId: space.state.historyId,
    version: space.state.version,
    keyCount: space.state.values.size,
    knownClients: space.state.clients.size,
    users: [...byUser]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([userId, clients]) => ({ userId, clients })),
    keptRejections: space.rejections.size,
    recentRejections: space.rejections.recent(REJECTIONS_SHOWN).map((r) => ({
      clientId: r.clientId,
      mutationId: r.id,
      code: r.error.code,
      message: r.error.message,
    })),
  };
}
