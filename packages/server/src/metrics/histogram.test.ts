import { describe, expect, it } from "vitest";
import { Histogram } from "./histogram.js";
import { histogramDelta, histogramQuantile, parseHistograms } from "./scraped-histograms.js";

describe("Histogram", () => {
  it("renders cumulative buckets, +Inf, sum and count", () => {
    const h = new Histogram("x_ms", "Test.", [1, 10]);
    for (const v of [0.5, 1, 3, 50]) h.observe(v);
    expect(h.toPrometheus()).toEqual([
      "# HELP x_ms Test.",
      "# TYPE x_ms histogram",
      'x_ms_bucket{le="1"} 2',
      'x_ms_bucket{le="10"} 3',
      'x_ms_bucket{le="+Inf"} 4',
      "x_ms_sum 54.5",
      "x_ms_count 4",
    ]);
  });

  it("reads back through parseHistograms, diffs two scrapes and interpolates quantiles", () => {
    const h = new Histogram("x_ms", "Test.", [1, 2, 4]);
    h.observe(0.5);
    const first = parseHistograms(h.toPrometheus().join("\n")).get("x_ms")!;
    for (let i = 0; i < 10; i++) h.observe(1.5);
    h.observe(100);
    const second = parseHistograms(["other 3", ...h.toPrometheus()].join("\n")).get("x_ms")!;
    expect(second.count).toBe(12);
    const window = histogramDelta(second, first);
    expect(window.count).toBe(11);
    expect(window.buckets.map((b) => b.count)).toEqual([0, 10, 10, 11]);
    // The median falls in (1, 2]: 5.5 of its 10 observations in.
    expect(histogramQuantile(window, 0.5)).toBeCloseTo(1.55);
    // Past the last finite bound: that bound.
    expect(histogramQuantile(window, 0.99)).toBe(4);
    expect(histogramQuantile(histogramDelta(first, first), 0.5)).toBeNaN();
  });
});
