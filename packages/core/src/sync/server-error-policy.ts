import type { WireErrorCode } from "../protocol/messages.js";

/**
 * What the client does about an `error` message from the server:
 * - `fatal`: reconnecting cannot help; stop until the app acts (reload, sign in);
 * - `reconnect`: this connection's server-side state is lost; start over with a new one;
 * - `repush`: the server saw a mutation id gap; push again after its last id;
 * - `wait`: the server runs an older version of the app (a rollback): keep the queue, keep the
 *   error showing, and try again later (with the usual backoff);
 * - `report`: tell the app, carry on.
 */
export type ServerErrorAction = "fatal" | "reconnect" | "repush" | "wait" | "report";

const FATAL: ReadonlySet<WireErrorCode> = new Set([
  "update_needed",
  "unauthorized",
  "unknown_space",
  "client_id_taken",
  "too_many_clients",
]);
/** Fatal with a fixed token (the same one would fail again); with an auth function, reconnect. */
const CREDENTIAL: ReadonlySet<WireErrorCode> = new Set(["unauthenticated", "auth_expired", "revoked"]);
const RECONNECT: ReadonlySet<WireErrorCode> = new Set(["internal", "not_connected", "handshake_timeout"]);

/**
 * The action for `code`. `unauthenticated`, `auth_expired` and `revoked` are fatal only with a
 * fixed token: with an auth function, the next connection asks it for a fresh credential.
 */
export function serverErrorAction(code: WireErrorCode, authIsFunction: boolean): ServerErrorAction {
  if (FATAL.has(code) || (CREDENTIAL.has(code) && !authIsFunction)) return "fatal";
  if (RECONNECT.has(code) || CREDENTIAL.has(code)) return "reconnect";
  if (code === "mutation_gap") return "repush";
  if (code === "server_version_behind") return "wait";
  return "report";
}
