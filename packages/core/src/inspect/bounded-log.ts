/**
 * A log that keeps the newest entries within a count and a byte budget: adding past either bound
 * forgets the oldest first (the newest entry always stays). Each entry's cost in bytes is given
 * when it is added.
 */
export class BoundedLog<T> {
  #entries: T[] = [];
  #costs: number[] = [];
  #bytes = 0;
  #view: readonly T[] | undefined;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  add(entry: T, bytes = 0): void {
    this.#entries.push(entry);
    this.#costs.push(bytes);
    this.#bytes += bytes;
    let drop = 0;
    while (
      drop < this.#entries.length - 1 &&
      (this.#entries.length - drop > this.maxEntries || this.#bytes > this.maxBytes)
    ) {
      this.#bytes -= this.#costs[drop]!;
      drop++;
    }
    if (drop > 0) {
      this.#entries.splice(0, drop);
      this.#costs.splice(0, drop);
    }
    this.#view = undefined;
  }

  /** Total bytes of the entries kept. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The entries kept, oldest first (the same array until the next change). */
  entries(): readonly T[] {
    return (this.#view ??= [...this.#entries]);
  }

  clear(): void {
    this.#entries = [];
    this.#costs = [];
    this.#bytes = 0;
    this.#view = undefined;
  }
}
