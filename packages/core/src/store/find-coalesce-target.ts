/** What coalescing needs to know of a pending mutation. */
export interface CoalesceCandidate {
  readonly id: number;
  readonly name: string;
  /** The mutator's coalesce key for these args; undefined when the mutator does not coalesce. */
  readonly coalesceKey: string | undefined;
}

/**
 * Finds the pending mutation that a new call of mutator `name` with coalesce key `key` may replace,
 * and returns its index in `pending` (id order), or -1 to queue a new mutation.
 *
 * The candidate is the newest pending mutation with the same name and key whose id is above
 * `sentUpToId` (the server may already hold anything at or below it). Replacing its args moves the
 * new call back to its position, which keeps the outcome only if every mutation after it commutes
 * with the new call: so every one of them must itself coalesce, under another key. Keys name
 * targets across mutators (different keys touch different store keys, by the `coalesce` contract). A drag interleaved with cursor moves thus still coalesces;
 * a drag followed by a delete does not.
 */
export function findCoalesceTarget(
  pending: readonly CoalesceCandidate[],
  sentUpToId: number,
  name: string,
  key: string,
): number {
  for (let i = pending.length - 1; i >= 0; i--) {
    const m = pending[i]!;
    if (m.id <= sentUpToId || m.coalesceKey === undefined) return -1;
    // Same target: replace a call of the same mutator; another mutator on it (a resize during a
    // move) may not commute, so it ends the search.
    if (m.coalesceKey === key) return m.name === name ? i : -1;
  }
  return -1;
}
