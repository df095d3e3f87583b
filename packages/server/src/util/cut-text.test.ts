import { describe, expect, it } from "vitest";
import { cutText } from "./cut-text.js";
import { isStorableText, utf8Length } from "./storable-text.js";

describe("cutText", () => {
  it("keeps a text that fits", () => {
    expect(cutText("hello", 5)).toBe("hello");
    expect(cutText("é".repeat(10), 20)).toBe("é".repeat(10));
  });

  it("cuts a long text to the byte bound, ending with an ellipsis", () => {
    const cut = cutText("x".repeat(900_000), 1024);
    expect(utf8Length(cut)).toBeLessThanOrEqual(1024);
    expect(cut.endsWith("…")).toBe(true);
    expect(cut.startsWith("xxx")).toBe(true);
  });

  it("never splits a surrogate pair", () => {
    for (let max = 4; max < 40; max++) {
      const cut = cutText("😀".repeat(20), max);
      expect(utf8Length(cut)).toBeLessThanOrEqual(max);
      expect(isStorableText(cut)).toBe(true);
    }
  });
});
