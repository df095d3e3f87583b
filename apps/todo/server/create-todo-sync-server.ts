import { createSyncServer, type Storage, type SyncServer } from "@synced-store/server";
import { serverTodo } from "./server-definition.js";

/** User ids the demo accepts: what `toUserId` makes of a picked name. */
const USER_ID = /^[a-z0-9-]{1,32}$/;

/**
 * The todo app's sync server: the server's definition (with its stricter mutators) on `storage`.
 * The demo's "sign-in" is the name the user picked, sent as `auth`; a real app verifies a token
 * here and returns the user id it belongs to.
 */
export function createTodoSyncServer(storage: Storage): SyncServer {
  return createSyncServer({
    stores: [serverTodo],
    storage,
    authenticate: ({ auth }) => (auth !== undefined && USER_ID.test(auth) ? auth : undefined),
  });
}
