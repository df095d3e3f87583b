/**
 * A poke's `client_id_to_last_mutation_id` read from decoded JSON: a copy with no prototype, so
 * that every client id, `__proto__` included, is an own key (a plain `{}` would take
 * `"__proto__"` as its prototype, and zod's record drops that key), or undefined when it is not
 * an object of non-negative integers.
 */
export function readLastMutationIds(value: unknown): Record<string, number> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const out = Object.create(null) as Record<string, number>;
  for (const key of Object.keys(value)) {
    const id = (value as Record<string, unknown>)[key];
    if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 0) return undefined;
    out[key] = id;
  }
  return out;
}
