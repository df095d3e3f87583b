import { describe, expect, it } from "vitest";
import { TokenBuckets } from "./token-buckets.js";

describe("TokenBuckets", () => {
  it("gives each key a burst of perSecond, refills with time and says how long to wait", () => {
    let now = 0;
    const buckets = new TokenBuckets({ perSecond: 4, maxBuckets: 10, maxBytes: 10_000, now: () => now });
    for (let i = 0; i < 4; i++) expect(buckets.take("a")).toBe(0);
    expect(buckets.take("a")).toBe(250);
    expect(buckets.take("b")).toBe(0);
    now = 100;
    expect(buckets.take("a")).toBe(150);
    now = 250;
    expect(buckets.take("a")).toBe(0);
    now = 60_000;
    // Refills to the burst, not beyond.
    for (let i = 0; i < 4; i++) expect(buckets.take("a")).toBe(0);
    expect(buckets.take("a")).toBeGreaterThan(0);
  });

  it("forgets the least recently used key past its count or its bytes", () => {
    const buckets = new TokenBuckets({ perSecond: 1, maxBuckets: 3, maxBytes: 1000, now: () => 0 });
    for (const k of ["a", "b", "c"]) buckets.take(k);
    buckets.take("a"); // a is now the most recent: b goes first
    buckets.take("d");
    expect(buckets.size).toBe(3);
    expect(buckets.take("a")).toBeGreaterThan(0); // kept, still empty
    expect(buckets.take("b")).toBe(0); // forgotten, back full
    const bytes = new TokenBuckets({ perSecond: 1, maxBuckets: 100, maxBytes: 500, now: () => 0 });
    for (let i = 0; i < 50; i++) bytes.take(`key-${i}-${"x".repeat(50)}`);
    expect(bytes.bytes).toBeLessThanOrEqual(500);
    expect(bytes.size).toBe(2);
  });
});
