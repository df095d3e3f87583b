import { expect, it } from "vitest";
import { isStorableText, storableText, utf8Length } from "./storable-text.js";

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

it("replaces U+0000 and lone surrogates by U+FFFD, and leaves storable text as it is", () => {
  for (const ok of ["", "todos/1", "emoji/😀", "\uffff"]) expect(storableText(ok)).toBe(ok);
  expect(storableText("a\u0000b\u0000")).toBe("a\ufffdb\ufffd");
  expect(storableText("x\udc00\ud800😀\ud800")).toBe("x\ufffd\ufffd😀\ufffd");
  for (const text of ["a\u0000", "\ud800", "😀".slice(1), "a\udc00\ud800b"]) {
    expect(isStorableText(storableText(text))).toBe(true);
  }
});
