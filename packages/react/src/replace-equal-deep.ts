/**
 * Returns `next`, reusing `prev` and its parts wherever they are deeply equal (structural
 * sharing), so unchanged rows of a list keep their identity and memoized children skip rendering.
 * Plain objects and arrays are compared by content; anything else by `Object.is`.
 */
export function replaceEqualDeep<T>(prev: unknown, next: T): T {
  if (Object.is(prev, next)) return prev as T;
  const bothArrays = Array.isArray(prev) && Array.isArray(next);
  if (!bothArrays && !(isPlainObject(prev) && isPlainObject(next))) return next;

  const prevItems = prev as Record<string, unknown>;
  const nextItems = next as Record<string, unknown>;
  const prevKeys = bothArrays ? null : Object.keys(prevItems);
  const nextKeys = bothArrays ? null : Object.keys(nextItems);
  const prevSize = prevKeys?.length ?? (prev as unknown[]).length;
  const size = nextKeys?.length ?? (next as unknown[]).length;
  const copy: Record<string, unknown> = bothArrays ? (new Array(size) as never) : {};

  let equalItems = 0;
  for (let i = 0; i < size; i++) {
    const key = nextKeys ? nextKeys[i]! : String(i);
    const shared = replaceEqualDeep(prevItems[key], nextItems[key]);
    copy[key] = shared;
    // A key absent from prev but holding undefined in next is a change, not an equal item.
    if (shared === prevItems[key] && (bothArrays ? i < prevSize : Object.hasOwn(prevItems, key))) {
      equalItems++;
    }
  }
  return (prevSize === size && equalItems === prevSize ? prev : copy) as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
