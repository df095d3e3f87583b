import { utf8Length } from "./storable-text.js";

/** What a cut text ends with. */
const ELLIPSIS = "…";

/**
 * `text` if it fits in `maxBytes` UTF-8 bytes, else its longest prefix that fits with "…" after
 * it. A surrogate pair is never split, so the result is as storable as `text`.
 */
export function cutText(text: string, maxBytes: number): string {
  // A UTF-16 unit is at most 3 UTF-8 bytes: short texts need no counting.
  if (text.length * 3 <= maxBytes || utf8Length(text) <= maxBytes) return text;
  const budget = maxBytes - utf8Length(ELLIPSIS);
  let bytes = 0;
  let end = 0;
  while (end < text.length) {
    const unit = text.charCodeAt(end);
    const pair = unit >= 0xd800 && unit <= 0xdbff && isLow(text.charCodeAt(end + 1));
    const size = pair ? 4 : unit < 0x80 ? 1 : unit < 0x800 ? 2 : 3;
    if (bytes + size > budget) break;
    bytes += size;
    end += pair ? 2 : 1;
  }
  return text.slice(0, end) + ELLIPSIS;
}

function isLow(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
