import { ProtocolError } from "../errors.js";
import { fastPokeMessage, fastPresenceUpdate, fastPushMessage } from "./fast-decode.js";
import { clientMessage, serverMessage, type ClientMessage, type ServerMessage } from "./messages.js";

/** Serializes a message for the wire. */
export function encodeMessage(message: ClientMessage | ServerMessage): string {
  return JSON.stringify(message);
}

function parseJson(frame: string): unknown {
  try {
    return JSON.parse(frame);
  } catch {
    throw new ProtocolError("Malformed JSON frame");
  }
}

/** Parses and validates a frame sent by a client; throws `ProtocolError` when it is not one. */
export function decodeClientMessage(frame: string): ClientMessage {
  const json = parseJson(frame);
  const push = fastPushMessage(json);
  if (push !== undefined) return push;
  const result = clientMessage.safeParse(json);
  if (!result.success)
    throw new ProtocolError(`Invalid client message: ${result.error.issues[0]?.message ?? "?"}`);
  return result.data;
}

/** Parses and validates a frame sent by the server; throws `ProtocolError` when it is not one. */
export function decodeServerMessage(frame: string): ServerMessage {
  const json = parseJson(frame);
  const fast = fastPokeMessage(json) ?? fastPresenceUpdate(json);
  if (fast !== undefined) return fast;
  const result = serverMessage.safeParse(json);
  if (!result.success)
    throw new ProtocolError(`Invalid server message: ${result.error.issues[0]?.message ?? "?"}`);
  return result.data;
}

/** Compile-time exhaustiveness check for dispatchers that switch on `type`. */
export function assertNever(value: never): never {
  throw new ProtocolError(`Unexpected message: ${JSON.stringify(value)}`);
}
