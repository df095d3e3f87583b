import type { ReadRecorder } from "./read-transaction.js";

/** A scanned range: keys under `prefix`, `>= from`, and `<= to` when `to` is set. */
export interface ReadRange {
  readonly prefix: string;
  readonly from: string;
  readonly to: string | undefined;
}

/** What one run of a query read: single keys and scanned ranges. */
export class ReadSet implements ReadRecorder {
  readonly keys = new Set<string>();
  readonly ranges: ReadRange[] = [];

  key(key: string): void {
    this.keys.add(key);
  }

  range(prefix: string, from: string, to: string | undefined): void {
    this.ranges.push({ prefix, from, to });
  }

  /** Whether a change to any of `keys` could change what was read. */
  touches(keys: ReadonlySet<string>): boolean {
    if (keys.size === 0) return false;
    for (const key of this.keys) if (keys.has(key)) return true;
    if (this.ranges.length === 0) return false;
    for (const key of keys) if (this.rangesCover(key)) return true;
    return false;
  }

  /** Whether a change to `key` falls in one of the scanned ranges. */
  rangesCover(key: string): boolean {
    for (const r of this.ranges) if (inRange(r, key)) return true;
    return false;
  }
}

/** Whether `key` lies in range `r`. */
export function inRange(r: ReadRange, key: string): boolean {
  return key.startsWith(r.prefix) && key >= r.from && (r.to === undefined || key <= r.to);
}
