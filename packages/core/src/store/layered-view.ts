import { OrderedMap } from "../kv/ordered-map.js";
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

  /** The visible value at `key`: the topmost layer holding it, else the base. */
  get(key: string): unknown {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const v = this.layers[i]!.get(key);
      if (v !== undefined) return v === DELETED ? undefined : v;
    }
    return this.base.get(key);
  }

  /**
   * Entries within `bounds` in key order. The layers above the base are small (pending work), so
   * their entries in range are merged first and the base is then walked once, taking the layer's
   * value wherever one exists.
   */
  scan(bounds: ScanBounds): Array<ScanEntry<unknown>> {
    const out: Array<ScanEntry<unknown>> = [];
    const { prefix, from, limit } = bounds;
    if (limit === 0) return out;
    const layers = this.layers.filter((l) => l.size > 0);
    if (layers.length === 1) return mergeOne(this.base, layers[0]!, bounds);
    const upper = this.#upperEntries(layers, bounds);
    let j = 0;
    const take = (key: string, value: unknown): boolean => {
      if (value !== DELETED) out.push({ key, value });
      return out.length < limit;
    };
    let more = true;
    this.base.forEachFrom(from, prefix, (key, value) => {
      for (; j < upper.length && upper[j]!.key <= key; j++) {
        const u = upper[j]!;
        if (u.key === key) {
          j++;
          return (more = take(key, u.value));
        }
        if (!(more = take(u.key, u.value))) return false;
      }
      return (more = take(key, value));
    });
    for (; more && j < upper.length; j++) more = take(upper[j]!.key, upper[j]!.value);
    return out;
  }

  /** Entries of the layers within `bounds` (the topmost layer wins), in key order, deletions kept. */
  #upperEntries(layers: readonly Layer[], bounds: ScanBounds): Array<{ key: string; value: unknown }> {
    const collect = (layer: Layer) => {
      const entries: Array<{ key: string; value: unknown }> = [];
      layer.forEachFrom(bounds.from, bounds.prefix, (key, value) => entries.push({ key, value }) > 0);
      return entries;
    };
    if (layers.length === 0) return [];
    if (layers.length === 1) return collect(layers[0]!);
    const merged = new Map<string, unknown>();
    for (const layer of layers) for (const e of collect(layer)) merged.set(e.key, e.value);
    return [...merged]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => ({ key, value }));
  }
}

/**
 * `scan` over the base and one layer (the common case: the pending overlay), walking both in
 * step: nothing is collected first, so a scan of 10,000 keys a pending mutation wrote builds only
 * its result.
 */
function mergeOne(base: OrderedMap<unknown>, layer: Layer, bounds: ScanBounds): Array<ScanEntry<unknown>> {
  const { prefix, from, limit } = bounds;
  const out: Array<ScanEntry<unknown>> = [];
  const push = (key: string, value: unknown): boolean => {
    if (value !== DELETED) out.push({ key, value });
    return out.length < limit;
  };
  // One side empty in range (new keys only in the layer, or no pending write there): walk the other.
  if (!hasKeyFrom(base, from, prefix)) {
    layer.forEachFrom(from, prefix, push);
    return out;
  }
  if (!hasKeyFrom(layer, from, prefix)) {
    base.forEachFrom(from, prefix, push);
    return out;
  }
  const upper = layer.cursor(from);
  // The layer's next key in range, or undefined once it has none left.
  const nextUpper = (): string | undefined => {
    const key = upper.peek();
    return key !== undefined && key.startsWith(prefix) ? key : undefined;
  };
  let u = nextUpper();
  const takeUpper = (key: string): boolean => {
    const value = upper.value();
    upper.advance();
    u = nextUpper();
    if (value !== DELETED) out.push({ key, value });
    return out.length < limit;
  };
  let more = true;
  base.forEachFrom(from, prefix, (key, value) => {
    while (u !== undefined && u < key) if (!(more = takeUpper(u))) return false;
    if (u === key) return (more = takeUpper(u));
    out.push({ key, value });
    return (more = out.length < limit);
  });
  while (more && u !== undefined) more = takeUpper(u);
  return out;
}

function hasKeyFrom(map: OrderedMap<unknown>, from: string, prefix: string): boolean {
  return map.cursor(from).peek()?.startsWith(prefix) === true;
}

/** `below` overwritten by `above`: the combined effect of two runs on one target. */
export function mergeLayers(below: Layer, above: Layer): Layer {
  const merged: Layer = new OrderedMap();
  for (const [key, value] of below.entries()) merged.set(key, value);
  for (const [key, value] of above.entries()) merged.set(key, value);
  return merged;
}
