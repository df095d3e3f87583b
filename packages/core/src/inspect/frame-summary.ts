import { assertNever } from "../protocol/codec.js";
import type { ClientMessage, ServerMessage } from "../protocol/messages.js";

/**
 * The versions or mutation ids a message carries, in a few characters, for the network log;
 * `clientId` picks this client's last mutation id out of a poke.
 */
export function frameSummary(message: ClientMessage | ServerMessage, clientId: string): string {
  switch (message.type) {
    case "connect":
      return `base v${message.base_version} lmid ${message.last_mutation_id}`;
    case "push": {
      const first = message.mutations[0];
      const last = message.mutations[message.mutations.length - 1];
      if (first === undefined || last === undefined) return "no mutations";
      const names = [...new Set(message.mutations.map((m) => m.name))].join(", ");
      return `${first.id === last.id ? `#${first.id}` : `#${first.id}..#${last.id}`} ${names}`;
    }
    case "pull":
      return `from v${message.base_version}`;
    case "action":
      return `${message.name} (request ${message.request_id})`;
    case "connected":
      return `v${message.version} lmid ${message.last_mutation_id}`;
    case "poke":
    case "pull_response": {
      const lmid = new Map(Object.entries(message.client_id_to_last_mutation_id)).get(clientId);
      const patches = `${message.patches.length} patch${message.patches.length === 1 ? "" : "es"}`;
      const versions = `v${message.min_included_version}..v${message.max_included_version}`;
      return `${versions} ${patches}${lmid === undefined ? "" : ` lmid ${lmid}`}`;
    }
    case "mutation_error":
      return `#${message.mutation_id} ${message.code}`;
    case "action_result":
      return `request ${message.request_id} ${message.ok ? "ok" : "failed"}`;
    case "error":
      return message.code;
    case "auth":
      return "fresh credential";
    case "auth_refresh":
      return `expires ${new Date(message.expires_at).toISOString()}`;
    case "presence":
      return "full" in message
        ? `${message.full ? "full " : ""}${message.set.length} set ${message.removed.length} removed`
        : message.state === null
          ? "cleared"
          : "set";
    case "ping":
    case "pong":
      return "";
    default:
      return assertNever(message);
  }
}

/** Bytes of `text` in UTF-8, without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4; // a surrogate pair: one 4-byte character
      i++;
    } else bytes += 3;
  }
  return bytes;
}
