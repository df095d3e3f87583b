import { describe, expect, it } from "vitest";
import { orderBetween } from "./order-between.js";

describe("orderBetween", () => {
  it("picks a position strictly between two neighbours", () => {
    expect(orderBetween(1, 2)).toBe(1.5);
    const p = orderBetween(1.5, 1.75);
    expect(p).toBeGreaterThan(1.5);
    expect(p).toBeLessThan(1.75);
  });

  it("goes before the first or after the last todo at the ends", () => {
    expect(orderBetween(undefined, 3)).toBeLessThan(3);
    expect(orderBetween(3, undefined)).toBeGreaterThan(3);
    expect(orderBetween(undefined, undefined)).toBe(0);
  });
});
