import { createSyncServer, type Storage, type SyncServer } from "@synced-store/server";
import { SERVER_USER, serverWhiteboard } from "./server-definition.js";

/** User ids the demo accepts: what `toUserId` makes of a picked name. */
const USER_ID = /^[a-z0-9-]{1,32}$/;

/**
 * The whiteboard's sync server: the server's definition (stricter mutators, the `leave` action)
 * on `storage`. When a connection ends, its client's cursor and avatar are removed for everyone;
 * the first connection to a board after a start removes what an earlier run left behind.
 * The demo's "sign-in" is the picked name, sent as `auth`; a real app verifies a token here.
 */
export function createWhiteboardSyncServer(storage: Storage): SyncServer {
  // Open connections per space and client: a reload may reconnect with the same client id before
  // the old connection's end is noticed, and that end must not remove the new presence.
  const connected = new Map<string, Map<string, number>>();
  const pruned = new Set<string>();
  const sync: SyncServer = createSyncServer({
    stores: [serverWhiteboard],
    storage,
    authenticate: ({ auth }) => (auth !== undefined && USER_ID.test(auth) ? auth : undefined),
    onConnect: async ({ spaceId, clientId }) => {
      const clients = connected.get(spaceId) ?? new Map<string, number>();
      connected.set(spaceId, clients.set(clientId, (clients.get(clientId) ?? 0) + 1));
      if (pruned.has(spaceId)) return;
      pruned.add(spaceId);
      await sync.runAction(spaceId, SERVER_USER, "prunePresence", { connected: [...clients.keys()] });
    },
    onDisconnect: async ({ spaceId, clientId }) => {
      const clients = connected.get(spaceId);
      const left = (clients?.get(clientId) ?? 1) - 1;
      if (left > 0) {
        clients?.set(clientId, left);
        return;
      }
      clients?.delete(clientId);
      await sync.runAction(spaceId, SERVER_USER, "leave", { clientId });
    },
  });
  return sync;
}
