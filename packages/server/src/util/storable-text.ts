/** A lone high surrogate (no low one after it) or a lone low surrogate (no high one before it). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether `text` comes back unchanged from every storage: no U+0000 (PostgreSQL text cannot hold
 * it) and no lone surrogate (UTF-8 cannot encode one: SQLite and PostgreSQL would store U+FFFD
 * instead, and the stored key would differ from the one clients hold). Keys, client ids, user ids
 * and space ids must pass before they reach a storage transaction, where a failure would fail
 * every push committed with it.
 */
export function isStorableText(text: string): boolean {
  return !text.includes("\u0000") && !LONE_SURROGATE.test(text);
}

const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g");

/**
 * `text` with each U+0000 and lone surrogate replaced by U+FFFD: text every storage returns as
 * it was given, for texts that are kept rather than refused (error messages, which echo anything).
 */
export function storableText(text: string): string {
  return isStorableText(text) ? text : text.replaceAll("\u0000", "\uFFFD").replace(LONE_SURROGATES, "\uFFFD");
}

/** Length of `text` in UTF-8 bytes (a surrogate pair counts 4, a lone surrogate 3), without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
