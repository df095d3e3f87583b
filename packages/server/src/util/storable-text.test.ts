import { expect, it } from "vitest";
import { isStorableText } from "./storable-text.js";

it("accepts well-formed text and refuses U+0000 and lone surrogates", () => {
  for (const ok of ["", "todos/1", "é/\u2028", "emoji/😀", "\uffff", "$$pu/u/x"])
    expect(isStorableText(ok)).toBe(true);
  for (const bad of ["a\u0000", "\ud800", "a\ud800b", "\udc00", "x\udc00\ud800", "😀".slice(0, 1)])
    expect(isStorableText(bad)).toBe(false);
});
