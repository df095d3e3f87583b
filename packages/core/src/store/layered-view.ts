import type { OrderedMap } from "../kv/ordered-map.js";
import type { ScanEntry } from "./transaction.js";

/** Marks a key deleted in an overlay layer (hides the value below it). */
export const DELETED: unique symbol = Symbol("deleted");
/** A value in an overlay layer: a value, or a deletion. */
export type LayerValue = unknown;
/** A layer above the base: key → value or `DELETED`. */
export type Layer = OrderedMap<LayerValue>;

/** Bounds of one scan. */
export interface ScanBounds {
  readonly prefix: string;
  /** First key considered (already clamped to `>= prefix`). */
  readonly from: string;
  readonly limit: number;
}

/** Normalizes `tx.scan` options into bounds. */
export function scanBounds(options: { prefix?: string; start?: string; limit?: number } = {}): ScanBounds {
  const prefix = options.prefix ?? "";
  const start = options.start ?? "";
  return {
    prefix,
    from: start > prefix ? start : prefix,
    limit: options.limit === undefined ? Infinity : Math.max(0, options.limit),
  };
}

/**
 * A read view over a base map and layers above it (the pending overlay, a transaction's own
 * writes). Upper layers win; `DELETED` hides what is below. Nothing is copied.
 */
export class LayeredView {
  constructor(
    readonly base: OrderedMap<unknown>,
    readonly layers: readonly Layer[],
  ) {}

  get(key: string): unknown {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const v = this.layers[i]!.get(key);
      if (v !== undefined) return v === DELETED ? undefined : v;
    }
    return this.base.get(key);
  }

  /** Entries within `bounds` in key order: a k-way merge of the base and layer cursors. */
  scan(bounds: ScanBounds): Array<ScanEntry<unknown>> {
    const out: Array<ScanEntry<unknown>> = [];
    if (bounds.limit === 0) return out;
    const { prefix } = bounds;
    const maps: Array<OrderedMap<unknown>> = [this.base, ...this.layers.filter((l) => l.size > 0)];
    if (maps.length === 1) {
      // Fast path: nothing pending, walk the base alone.
      const c = this.base.cursor(bounds.from);
      for (let k = c.peek(); k !== undefined && k.startsWith(prefix); k = c.peek()) {
        out.push({ key: k, value: c.value(k) });
        if (out.length >= bounds.limit) break;
        c.advance();
      }
      return out;
    }
    const cursors = maps.map((m) => m.cursor(bounds.from));
    for (;;) {
      // The smallest current key; the highest layer holding it wins.
      let key: string | undefined;
      let winner = -1;
      for (let i = 0; i < cursors.length; i++) {
        const k = cursors[i]!.peek();
        if (k === undefined || !k.startsWith(prefix)) continue;
        if (key === undefined || k < key) {
          key = k;
          winner = i;
        } else if (k === key) winner = i;
      }
      if (key === undefined) return out;
      const value = cursors[winner]!.value(key);
      for (const c of cursors) if (c.peek() === key) c.advance();
      if (value !== DELETED) {
        out.push({ key, value });
        if (out.length >= bounds.limit) return out;
      }
    }
  }
}
