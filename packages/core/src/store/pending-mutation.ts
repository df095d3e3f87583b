import type { PersistedMutation } from "../kv/persistence.js";
import type { WireMutation } from "../protocol/messages.js";
import type { Deferred } from "../util/deferred.js";
import type { Layer } from "./layered-view.js";
import type { ReadSet } from "./read-set.js";

/** A local mutation the server has not acknowledged yet. */
export interface PendingMutation {
  /** Per-client id; changes only when `adoptHistory` renumbers. */
  id: number;
  readonly name: string;
  /** Arguments as the caller gave them (what is persisted and pushed). */
  readonly args: unknown;
  /** Arguments after the mutator's schema, or `invalid` when they no longer parse (after a reload). */
  readonly parsed: { readonly ok: true; readonly value: unknown } | { readonly ok: false };
  readonly timestamp: number;
  /** The mutation's effect at its last run; empty when that run threw. */
  writes: Layer;
  /**
   * What its last run read, when that run alone produced `writes`. A rebase that changed none of
   * it reuses `writes` instead of running the mutator again (mutators are deterministic).
   */
  reads?: ReadSet | undefined;
  readonly confirmed: Deferred<void>;
}

/** The persisted form of a pending mutation. */
export function toPersisted(m: PendingMutation): PersistedMutation {
  return { id: m.id, name: m.name, args: m.args, timestamp: m.timestamp };
}

/** The wire form of a pending mutation. */
export function toWire(m: PendingMutation): WireMutation {
  return { id: m.id, name: m.name, args: m.args, timestamp: m.timestamp };
}
