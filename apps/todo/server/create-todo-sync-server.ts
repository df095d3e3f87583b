import type { AnyStoreDefinition } from "@synced-store/core";
import { createSyncServer, type Storage, type SyncServer } from "@synced-store/server";
import { serverTodo } from "./server-definition.js";

/** User ids the demo accepts: what `toUserId` makes of a picked name. */
const USER_ID = /^[a-z0-9-]{1,32}$/;

/**
 * The todo app's sync server: the server's definition (with its stricter mutators) on `storage`.
 * The demo's "sign-in" is the name the user picked, sent as `auth`; a real app verifies a token
 * here and returns the user id it belongs to. `definition` replaces the server's definition, e.g.
 * with a later version of the store in a test of a deploy.
 */
export function createTodoSyncServer(
  storage: Storage,
  definition: AnyStoreDefinition = serverTodo,
): SyncServer {
  return createSyncServer({
    stores: [definition],
    storage,
    authenticate: ({ auth }) => (auth !== undefined && USER_ID.test(auth) ? auth : undefined),
  });
}
