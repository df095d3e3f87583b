/** What coalescing needs to know of a pending mutation. */
export interface CoalesceCandidate {
  readonly id: number;
  readonly name: string;
  /** The mutator's coalesce key for these args; undefined when the mutator does not coalesce. */
  readonly coalesceKey: string | undefined;
}

/**
 * Finds the pending mutation that a new call of mutator `name` with coalesce key `key` may replace
 * and returns its id, or undefined to queue a new mutation. `newestFirst` walks the pending queue
 * from its end, lazily, so the search costs what it inspects, not the queue's length.
 *
 * The candidate is the newest pending mutation with the same name and key whose id is above
 * `sentUpToId` (the server may already hold anything at or below it). Replacing its args moves the
 * new call back to its position, which keeps the outcome only if every mutation after it commutes
 * with the new call: so every one of them must itself coalesce, under another key. Keys name
 * targets across mutators (different keys touch different store keys, by the `coalesce` contract).
 * A drag interleaved with cursor moves thus still coalesces; a drag followed by a delete does not.
 */
export function findCoalesceTarget(
  newestFirst: Iterable<CoalesceCandidate>,
  sentUpToId: number,
  name: string,
  key: string,
): number | undefined {
  for (const m of newestFirst) {
    if (m.id <= sentUpToId || m.coalesceKey === undefined) return undefined;
    // Same target: replace a call of the same mutator; another mutator on it (a resize during a
    // move) may not commute, so it ends the search.
    if (m.coalesceKey === key) return m.name === name ? m.id : undefined;
  }
  return undefined;
}
