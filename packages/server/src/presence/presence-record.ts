/** Who holds a presence record, which decides who may end it. */
export type PresenceOwner =
  /** A connection of this process; the record ends with it. */
  | { readonly kind: "connection"; readonly connection: object }
  /** An HTTP client of this process; the record ends when it stops polling. */
  | { readonly kind: "lease"; expiresAt: number }
  /** A connection of another process (`origin` is its bus id); ends when that process says so, or goes silent. */
  | { readonly kind: "remote"; readonly origin: string };

/** One client's presence in a space. */
export interface PresenceRecord {
  readonly clientId: string;
  readonly userId: string;
  readonly state: unknown;
  /** The wire entry `{"client_id","user_id","state"}`, encoded once for every frame it goes in. */
  readonly json: string;
  readonly owner: PresenceOwner;
}

/** A connection that sees the presence of its space. */
export interface PresenceViewer {
  readonly userId: string;
  readonly clientId: string;
  /** Sends one encoded server message. */
  sendFrame(frame: string): void;
}

/** Makes a record, encoding its wire entry. */
export function presenceRecord(
  clientId: string,
  userId: string,
  state: unknown,
  owner: PresenceOwner,
): PresenceRecord {
  const json = JSON.stringify({ client_id: clientId, user_id: userId, state });
  return { clientId, userId, state, json, owner };
}

/** Whether the record belongs to this process (a connection or an HTTP lease), not another. */
export function isLocal(record: PresenceRecord): boolean {
  return record.owner.kind !== "remote";
}

/** Whether `owner` may end or replace `record` (owners end only what they hold). */
export function sameOwner(record: PresenceRecord, owner: PresenceOwner): boolean {
  const held = record.owner;
  if (held.kind !== owner.kind) return false;
  if (held.kind === "connection") return held.connection === (owner as typeof held).connection;
  if (held.kind === "remote") return held.origin === (owner as typeof held).origin;
  return true;
}
