/**
 * Upper bounds (ms) of the latency buckets every stage histogram uses: fine below a millisecond,
 * where one stage of an idle server sits, and around 10 and 50 ms, the targets under load.
 */
export const LATENCY_BUCKETS_MS: readonly number[] = [
  0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3.5, 5, 7.5, 10, 15, 25, 35, 50, 75, 100, 250, 500, 1000, 2500,
  5000,
];

/**
 * A Prometheus histogram: counts of observations per upper bound, their sum and count. Fixed
 * size whatever it observes; cumulative, so a reader diffs two scrapes to see an interval.
 */
export class Histogram {
  readonly #counts: number[];
  #count = 0;
  #sum = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: readonly number[] = LATENCY_BUCKETS_MS,
  ) {
    this.#counts = bounds.map(() => 0);
  }

  /** Records one observation. */
  observe(value: number): void {
    this.#count++;
    this.#sum += value;
    // Per-bucket counts; the exposition makes them cumulative.
    const i = this.bounds.findIndex((bound) => value <= bound);
    if (i >= 0) this.#counts[i]!++;
  }

  get count(): number {
    return this.#count;
  }

  /** The text exposition lines of this histogram (`_bucket`, `_sum`, `_count`). */
  toPrometheus(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    let cumulative = 0;
    this.bounds.forEach((bound, i) => {
      cumulative += this.#counts[i]!;
      lines.push(`${this.name}_bucket{le="${bound}"} ${cumulative}`);
    });
    lines.push(
      `${this.name}_bucket{le="+Inf"} ${this.#count}`,
      `${this.name}_sum ${this.#sum}`,
      `${this.name}_count ${this.#count}`,
    );
    return lines;
  }
}
