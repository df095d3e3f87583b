import type { StoreChange } from "../store/store-change.js";
import { deepEqual } from "../util/deep-equal.js";

/** One key-level change delivered to a watcher (the shape of `KeyDiff` in client-types). */
export type WatchDiff =
  | { readonly op: "add"; readonly key: string; readonly newValue: unknown }
  | { readonly op: "change"; readonly key: string; readonly oldValue: unknown; readonly newValue: unknown }
  | { readonly op: "del"; readonly key: string; readonly oldValue: unknown };

interface Watcher {
  readonly prefix: string;
  readonly onChange: (diffs: readonly WatchDiff[]) => void;
}

/**
 * Key-level watchers by prefix. Each change is split per watcher into add / change / del diffs
 * in key order; a watcher is called only when something under its prefix changed.
 */
export class WatchRegistry {
  readonly #watchers = new Set<Watcher>();

  constructor(private readonly onError: (error: unknown) => void) {}

  get size(): number {
    return this.#watchers.size;
  }

  /** Watches keys under `prefix`; returns the unwatch. */
  watch(prefix: string, onChange: (diffs: readonly WatchDiff[]) => void): () => void {
    const w: Watcher = { prefix, onChange };
    this.#watchers.add(w);
    return () => void this.#watchers.delete(w);
  }

  /** Delivers `change` to the watchers it concerns. */
  notify(change: StoreChange): void {
    if (this.#watchers.size === 0) return;
    for (const w of this.#watchers) {
      const diffs: WatchDiff[] = [];
      for (const [key, { oldValue, newValue }] of change.changes) {
        if (!key.startsWith(w.prefix)) continue;
        if (oldValue === undefined) diffs.push({ op: "add", key, newValue });
        else if (newValue === undefined) diffs.push({ op: "del", key, oldValue });
        // A rewrite with an equal value (a new object, same content) is no change to a watcher.
        else if (!deepEqual(oldValue, newValue)) diffs.push({ op: "change", key, oldValue, newValue });
      }
      if (diffs.length === 0) continue;
      diffs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      try {
        w.onChange(diffs);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
