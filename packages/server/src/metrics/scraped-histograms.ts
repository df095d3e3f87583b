/** One histogram read back from a Prometheus text exposition. */
export interface ScrapedHistogram {
  /** Cumulative counts per upper bound, ascending (`+Inf` last). */
  readonly buckets: ReadonlyArray<{ readonly le: number; readonly count: number }>;
  readonly sum: number;
  readonly count: number;
}

/** Every histogram (`name_bucket{le=…}`, `name_sum`, `name_count`) of a `/metrics` text, by name. */
export function parseHistograms(text: string): Map<string, ScrapedHistogram> {
  const found = new Map<
    string,
    { buckets: Array<{ le: number; count: number }>; sum: number; count: number }
  >();
  const entry = (name: string) => {
    let h = found.get(name);
    if (h === undefined) found.set(name, (h = { buckets: [], sum: 0, count: 0 }));
    return h;
  };
  for (const line of text.split("\n")) {
    const bucket = /^(\w+)_bucket\{le="([^"]+)"\} (\S+)$/.exec(line);
    if (bucket !== null) {
      const le = bucket[2] === "+Inf" ? Infinity : Number(bucket[2]);
      entry(bucket[1]!).buckets.push({ le, count: Number(bucket[3]) });
      continue;
    }
    const total = /^(\w+)_(sum|count) (\S+)$/.exec(line);
    if (total !== null && found.has(total[1]!))
      entry(total[1]!)[total[2] as "sum" | "count"] = Number(total[3]);
  }
  return found;
}

/** What `later` observed since `earlier` (two scrapes of the same histogram). */
export function histogramDelta(
  later: ScrapedHistogram,
  earlier: ScrapedHistogram | undefined,
): ScrapedHistogram {
  if (earlier === undefined) return later;
  return {
    buckets: later.buckets.map((b, i) => ({ le: b.le, count: b.count - (earlier.buckets[i]?.count ?? 0) })),
    sum: later.sum - earlier.sum,
    count: later.count - earlier.count,
  };
}

/**
 * The `q` quantile (0..1) of a histogram, interpolated linearly inside its bucket as Prometheus'
 * `histogram_quantile` does; the largest finite bound when it falls in `+Inf`. NaN when empty.
 */
export function histogramQuantile(h: ScrapedHistogram, q: number): number {
  if (h.count === 0) return NaN;
  const rank = q * h.count;
  let lower = 0;
  let below = 0;
  for (const b of h.buckets) {
    if (b.count >= rank) {
      if (b.le === Infinity) return lower;
      const inBucket = b.count - below;
      return inBucket === 0 ? b.le : lower + ((b.le - lower) * (rank - below)) / inBucket;
    }
    if (b.le !== Infinity) lower = b.le;
    below = b.count;
  }
  return lower;
}
