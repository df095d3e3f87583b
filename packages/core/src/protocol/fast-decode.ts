import type {
  PatchOp,
  PokeMessage,
  PresenceEntry,
  PresenceUpdateMessage,
  PullResponseMessage,
  PushMessage,
  WireMutation,
  WireRejection,
} from "./messages.js";
import { wireErrorCode } from "./messages.js";
import { readLastMutationIds } from "./last-mutation-ids.js";

/*
 * Hand-written checks for the frames on the latency path (push, poke, pull_response, presence), tried
 * before the zod schemas: validating a poke with `serverMessage` runs a union over every server
 * message type, on every client, for every commit. Each check accepts only values the zod schema
 * accepts and returns what the schema would (same keys, same order, unknown keys never present);
 * anything else returns undefined and goes through zod, which also words the error.
 */

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Own enumerable keys, counted; the checks accept objects with exactly the schema's keys. */
function keyCount(value: Json): number {
  let n = 0;
  for (const key in value) if (Object.hasOwn(value, key)) n++;
  return n;
}

/** `z.number().int().nonnegative()` */
function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function mutation(value: unknown): WireMutation | undefined {
  if (!isObject(value) || keyCount(value) !== 4 || !Object.hasOwn(value, "args")) return undefined;
  const { id, name, args, timestamp } = value;
  if (!isCount(id) || id === 0 || typeof name !== "string") return undefined;
  if (typeof timestamp !== "number" || !Number.isFinite(timestamp)) return undefined;
  return { id, name, args, timestamp };
}

function patch(value: unknown): PatchOp | undefined {
  if (!isObject(value)) return undefined;
  const n = keyCount(value);
  const { op, key } = value;
  if (op === "reset") return n === 1 ? { op } : undefined;
  if (typeof key !== "string") return undefined;
  if (op === "del") return n === 2 ? { op, key } : undefined;
  if (op === "set" && n === 3 && Object.hasOwn(value, "value")) return { op, key, value: value.value };
  return undefined;
}

const rejectionCodes: ReadonlySet<string> = new Set(wireErrorCode.options);

function rejection(value: unknown): WireRejection | undefined {
  if (!isObject(value) || keyCount(value) !== 3) return undefined;
  const { mutation_id, code, message } = value;
  if (!isCount(mutation_id) || mutation_id === 0 || typeof message !== "string") return undefined;
  if (typeof code !== "string" || !rejectionCodes.has(code)) return undefined;
  return { mutation_id, code: code as WireRejection["code"], message };
}

function mapAll<T>(value: unknown, each: (item: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: T[] = [];
  for (const item of value as unknown[]) {
    const parsed = each(item);
    if (parsed === undefined) return undefined;
    out.push(parsed);
  }
  return out;
}

/** A `push` message as `clientMessage` would parse it, or undefined (use the schema). */
export function fastPushMessage(value: unknown): PushMessage | undefined {
  if (!isObject(value) || value.type !== "push" || keyCount(value) !== 3) return undefined;
  const { client_id } = value;
  if (typeof client_id !== "string") return undefined;
  const mutations = mapAll(value.mutations, mutation);
  return mutations === undefined ? undefined : { type: "push", client_id, mutations };
}

/** A `poke` or `pull_response` as `serverMessage` would parse it, or undefined (use the schema). */
export function fastPokeMessage(value: unknown): PokeMessage | PullResponseMessage | undefined {
  if (!isObject(value)) return undefined;
  const { type, min_included_version: min, max_included_version: max, more } = value;
  // `more` marks the parts of a snapshot; only pull responses carry it.
  const hasMore = Object.hasOwn(value, "more");
  if (hasMore && (type !== "pull_response" || typeof more !== "boolean")) return undefined;
  const hasRejections = Object.hasOwn(value, "rejections");
  if (keyCount(value) !== 5 + (hasMore ? 1 : 0) + (hasRejections ? 1 : 0)) return undefined;
  if ((type !== "poke" && type !== "pull_response") || !isCount(min) || !isCount(max)) return undefined;
  const patches = mapAll(value.patches, patch);
  if (patches === undefined) return undefined;
  const ids = readLastMutationIds(value.client_id_to_last_mutation_id);
  if (ids === undefined) return undefined;
  const rejections = hasRejections ? mapAll(value.rejections, rejection) : undefined;
  if (hasRejections && rejections === undefined) return undefined;
  return {
    type,
    min_included_version: min,
    max_included_version: max,
    patches,
    client_id_to_last_mutation_id: ids,
    ...(rejections === undefined ? {} : { rejections }),
    ...(hasMore ? { more: more as boolean } : {}),
  };
}

function presenceEntry(value: unknown): PresenceEntry | undefined {
  if (!isObject(value) || keyCount(value) !== 3 || !Object.hasOwn(value, "state")) return undefined;
  const { client_id, user_id, state } = value;
  if (typeof client_id !== "string" || typeof user_id !== "string") return undefined;
  return { client_id, user_id, state };
}

const isString = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** A server `presence` message as `serverMessage` would parse it, or undefined (use the schema). */
export function fastPresenceUpdate(value: unknown): PresenceUpdateMessage | undefined {
  if (!isObject(value) || value.type !== "presence" || keyCount(value) !== 4) return undefined;
  const { full } = value;
  if (typeof full !== "boolean") return undefined;
  const set = mapAll(value.set, presenceEntry);
  const removed = set && mapAll(value.removed, isString);
  return removed === undefined ? undefined : { type: "presence", full, set: set!, removed };
}
