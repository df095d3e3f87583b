import { expect, it } from "vitest";
import { isStorableText, utf8Length } from "./storable-text.js";

it("accepts well-formed text and refuses U+0000 and lone surrogates", () => {
  for (const ok of ["", "todos/1", "é/\u2028", "emoji/😀", "\uffff", "$$pu/u/x"])
    expect(isStorableText(ok)).toBe(true);
  for (const bad of ["a\u0000", "\ud800", "a\ud800b", "\udc00", "x\udc00\ud800", "😀".slice(0, 1)])
    expect(isStorableText(bad)).toBe(false);
});

it("counts UTF-8 bytes as an encoder does", () => {
  for (const text of ["", "abc", "é", "€", "😀", "a😀b€é", "\u07ff\u0800\uffff", "\ud800x", "x\udc00"]) {
    expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
  }
});
