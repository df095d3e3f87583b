import type { AnyStoreDefinition } from "@synced-store/core";
import { createSyncServer, type Storage, type SyncServer } from "@synced-store/server";
import { serverTodo } from "./server-definition.js";
import type { TodoAuth } from "./todo-auth.js";

/**
 * The todo app's sync server: the server's definition (with its stricter mutators) on `storage`,
 * admitting clients whose `auth` is a token `auth` signed (`todo-auth.ts`): its user, until its
 * expiry, when the client is asked for a fresh one. `definition` replaces the server's
 * definition, e.g. with a later version of the store in a test of a deploy.
 */
export function createTodoSyncServer(
  storage: Storage,
  auth: TodoAuth,
  definition: AnyStoreDefinition = serverTodo,
): SyncServer {
  return createSyncServer({
    stores: [definition],
    storage,
    authenticate: (request) => auth.authenticate(request),
  });
}
