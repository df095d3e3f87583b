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
