import { createSyncServer, type Storage, type SyncServer } from "@synced-store/server";
import { serverWhiteboard } from "./server-definition.js";

/** User ids the demo accepts: what `toUserId` makes of a picked name. */
const USER_ID = /^[a-z0-9-]{1,32}$/;

/**
 * The whiteboard's sync server: the server's definition (stricter mutators) on `storage`.
 * Cursors and avatars are presence, which the server drops with each connection by itself.
 * The demo's "sign-in" is the picked name, sent as `auth`; a real app verifies a token here.
 */
export function createWhiteboardSyncServer(storage: Storage): SyncServer {
  return createSyncServer({
    stores: [serverWhiteboard],
    storage,
    authenticate: ({ auth }) => (auth !== undefined && USER_ID.test(auth) ? auth : undefined),
  });
}
