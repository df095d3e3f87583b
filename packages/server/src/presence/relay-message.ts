import { PRESENCE_PAYLOAD_BYTES } from "../bus/bus.js";
import { utf8Length } from "../util/storable-text.js";
import type { RemoteItem } from "./presence-hub.js";

/** One record in a full announcement: `[spaceId, clientId, userId, state]`. */
export type FullItem = readonly [string, string, string, unknown];

/**
 * Presence messages between server processes, JSON arrays with the sender's bus id second:
 * `["alive", origin]` every heartbeat; `["sync", origin, target | null]` asks `target` (or every
 * process) to announce all its records; `["full", origin, first, last, FullItem[]]` is that
 * announcement, in chunks (records of `origin` in none of them are gone); `["delta", origin,
 * spaceId, RemoteItem[]]` the changes of one flush; `["gone", origin]` a clean shutdown.
 */
export type RelayMessage =
  | { readonly kind: "alive" | "gone"; readonly origin: string }
  | { readonly kind: "sync"; readonly origin: string; readonly target: string | null }
  | {
      readonly kind: "full";
      readonly origin: string;
      readonly first: boolean;
      readonly last: boolean;
      readonly items: readonly FullItem[];
    }
  | {
      readonly kind: "delta";
      readonly origin: string;
      readonly spaceId: string;
      readonly items: RemoteItem[];
    };

/** The `delta` payloads of one space's changes, each under the bus's payload limit. */
export function encodeDelta(
  origin: string,
  spaceId: string,
  items: readonly RemoteItem[],
  skipped: (what: string) => void,
): string[] {
  const head = `["delta",${JSON.stringify(origin)},${JSON.stringify(spaceId)},[`;
  return chunk(
    head,
    items.map((i) => JSON.stringify(i)),
    skipped,
  ).map((body) => `${head}${body}]]`);
}

/** The `full` payloads announcing `items`, each under the bus's payload limit; at least one. */
export function encodeFull(
  origin: string,
  items: readonly FullItem[],
  skipped: (what: string) => void,
): string[] {
  const head = (first: boolean, last: boolean) =>
    `["full",${JSON.stringify(origin)},${first ? 1 : 0},${last ? 1 : 0},[`;
  const bodies = chunk(
    head(false, false),
    items.map((i) => JSON.stringify(i)),
    skipped,
  );
  if (bodies.length === 0) bodies.push("");
  return bodies.map((body, i) => `${head(i === 0, i === bodies.length - 1)}${body}]]`);
}

/** Joins `pieces` into comma-separated bodies that fit after `head` (plus `]]`) in one payload. */
function chunk(head: string, pieces: readonly string[], skipped: (what: string) => void): string[] {
  const room = PRESENCE_PAYLOAD_BYTES - utf8Length(head) - 2;
  const bodies: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    const bytes = utf8Length(piece);
    if (bytes > room) {
      skipped(piece.slice(0, 80));
      continue;
    }
    if (current.length > 0 && size + 1 + bytes > room) {
      bodies.push(current.join(","));
      current = [];
      size = 0;
    }
    size += (current.length > 0 ? 1 : 0) + bytes;
    current.push(piece);
  }
  if (current.length > 0) bodies.push(current.join(","));
  return bodies;
}

/** Decodes a relay payload; undefined for anything malformed (ignored). */
export function decodeRelayMessage(payload: string): RelayMessage | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const [kind, origin] = parsed as unknown[];
  if (typeof origin !== "string") return undefined;
  switch (kind) {
    case "alive":
    case "gone":
      return parsed.length === 2 ? { kind, origin } : undefined;
    case "sync": {
      const target: unknown = parsed[2];
      return typeof target === "string" || target === null ? { kind, origin, target } : undefined;
    }
    case "full": {
      const [, , first, last, items] = parsed as unknown[];
      if (!Array.isArray(items) || !items.every(isFullItem)) return undefined;
      return { kind, origin, first: first === 1, last: last === 1, items };
    }
    case "delta": {
      const [, , spaceId, items] = parsed as unknown[];
      if (typeof spaceId !== "string" || !Array.isArray(items) || !items.every(isRemoteItem))
        return undefined;
      return { kind, origin, spaceId, items };
    }
    default:
      return undefined;
  }
}

function isRemoteItem(item: unknown): item is RemoteItem {
  if (!Array.isArray(item) || typeof item[0] !== "string") return false;
  return item.length === 1 || (item.length === 3 && typeof item[1] === "string");
}

function isFullItem(item: unknown): item is FullItem {
  return (
    Array.isArray(item) &&
    item.length === 4 &&
    typeof item[0] === "string" &&
    typeof item[1] === "string" &&
    typeof item[2] === "string"
  );
}
