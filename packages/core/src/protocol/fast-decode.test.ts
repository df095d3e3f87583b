import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastPokeMessage, fastPresenceUpdate, fastPushMessage } from "./fast-decode.js";
import { clientMessage, serverMessage } from "./messages.js";

const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`fast-decode property seed: ${seed} (rerun with FC_SEED=${seed})`);

/** Numbers around the schema's edges: negatives, zero, fractions, unsafe and huge ones. */
const edgyNumber = fc.oneof(
  fc.integer({ min: -3, max: 5 }),
  fc.constantFrom(0.5, -0, 2 ** 53, 1e400, -1e400),
  fc.double(),
);
/** Anything JSON may hold, with a bias towards the wrong type for a field. */
const anyField = fc.oneof(
  edgyNumber,
  fc.string({ maxLength: 3 }),
  fc.constant(null),
  fc.boolean(),
  fc.json(),
);

/** An object with the given fields, each sometimes replaced, dropped, or joined by an extra key. */
function shape(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(fields);
  return fc
    .record({
      values: fc.record(fields),
      broken: fc.option(fc.constantFrom(...keys), { nil: undefined }),
      replacement: anyField,
      drop: fc.boolean(),
      extra: fc.option(fc.constantFrom("extra", "__proto__", "type"), { nil: undefined }),
      order: fc.shuffledSubarray(keys, { minLength: keys.length, maxLength: keys.length }),
    })
    .map(({ values, broken, replacement, drop, extra, order }) => {
      const text = order
        .filter((k) => !(k === broken && drop))
        .map((k) => `${JSON.stringify(k)}:${JSON.stringify(k === broken ? replacement : values[k])}`);
      if (extra !== undefined) text.push(`${JSON.stringify(extra)}:1`);
      // Through JSON text, as frames arrive (an own `__proto__` key, 1e400 as Infinity).
      return JSON.parse(`{${text.join(",")}}`) as Record<string, unknown>;
    });
}

const count = fc.oneof(fc.nat({ max: 1000 }), edgyNumber);
const mutation = shape({
  id: count,
  name: fc.string({ maxLength: 4 }),
  args: fc.json(),
  timestamp: edgyNumber,
});
const push = shape({
  type: fc.constantFrom("push", "pull", "poke"),
  client_id: fc.string({ maxLength: 4 }),
  mutations: fc.array(mutation, { maxLength: 3 }),
});
const patch = fc.oneof(
  shape({ op: fc.constantFrom("set", "del"), key: fc.string({ maxLength: 4 }), value: fc.json() }),
  shape({ op: fc.constantFrom("del", "reset"), key: fc.string({ maxLength: 4 }) }),
  shape({ op: fc.constant("reset") }),
);
const pokeFields = {
  type: fc.constantFrom("poke", "pull_response", "connected"),
  min_included_version: count,
  max_included_version: count,
  patches: fc.array(patch, { maxLength: 3 }),
  client_id_to_last_mutation_id: fc.oneof(
    fc.dictionary(fc.constantFrom("a", "b", "__proto__", "toString"), count, { maxKeys: 3 }),
    anyField,
  ),
};
const rejection = shape({
  mutation_id: count,
  code: fc.constantFrom("mutator_failed", "permission_denied", "no_such_code"),
  message: fc.string({ maxLength: 3 }),
});
const poke = fc.oneof(
  shape(pokeFields),
  shape({ ...pokeFields, rejections: fc.oneof(fc.array(rejection, { maxLength: 2 }), anyField) }),
);

const presenceEntry = shape({
  client_id: fc.oneof(fc.string({ maxLength: 4 }), anyField),
  user_id: fc.string({ maxLength: 4 }),
  state: fc.json(),
});
const presence = shape({
  type: fc.constantFrom("presence", "poke"),
  full: fc.oneof(fc.boolean(), anyField),
  set: fc.array(presenceEntry, { maxLength: 3 }),
  removed: fc.oneof(fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }), fc.array(anyField)),
});

/** Fast result, if any, is exactly zod's output (keys in the same order). */
function agrees(
  fast: unknown,
  schema: { safeParse(v: unknown): { success: boolean; data?: unknown } },
  input: unknown,
) {
  if (fast === undefined) return;
  const zod = schema.safeParse(input);
  expect(zod.success).toBe(true);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
}

describe("fast decoding of push, poke and presence frames", () => {
  it("accepts only what the zod schemas accept, and returns what they return", () => {
    fc.assert(
      fc.property(push, poke, presence, (p, k, r) => {
        agrees(fastPushMessage(p), clientMessage, p);
        agrees(fastPokeMessage(k), serverMessage, k);
        agrees(fastPresenceUpdate(r), serverMessage, r);
      }),
      { seed, numRuns: 2000 },
    );
  });

  it("takes the fast path for well-formed frames", () => {
    const p = JSON.parse(
      '{"type":"push","client_id":"c","mutations":[{"id":1,"name":"put","args":{"x":1},"timestamp":5}]}',
    ) as unknown;
    expect(fastPushMessage(p)).toEqual(clientMessage.parse(p));
    const k = JSON.parse(
      '{"type":"poke","min_included_version":1,"max_included_version":2,' +
        '"patches":[{"op":"set","key":"a","value":[1]},{"op":"del","key":"b"}],' +
        '"client_id_to_last_mutation_id":{"c":3}}',
    ) as unknown;
    expect(fastPokeMessage(k)).toEqual(serverMessage.parse(k));
    const rejected = JSON.parse(
      '{"type":"poke","min_included_version":1,"max_included_version":2,"patches":[],' +
        '"client_id_to_last_mutation_id":{"c":3},' +
        '"rejections":[{"mutation_id":3,"code":"mutator_failed","message":"no"}]}',
    ) as unknown;
    expect(fastPokeMessage(rejected)).toEqual(serverMessage.parse(rejected));
    const r = JSON.parse(
      '{"type":"presence","full":false,"set":[{"client_id":"c","user_id":"u","state":{"x":1}}],"removed":["d"]}',
    ) as unknown;
    expect(fastPresenceUpdate(r)).toEqual(serverMessage.parse(r));
  });

  it("leaves extra keys, bad numbers and a leading reset with a key to the schema", () => {
    expect(fastPushMessage({ type: "push", client_id: "c", mutations: [], extra: 1 })).toBeUndefined();
    expect(
      fastPushMessage({
        type: "push",
        client_id: "c",
        mutations: [{ id: 1.5, name: "n", args: 1, timestamp: 0 }],
      }),
    ).toBeUndefined();
    expect(
      fastPokeMessage({
        type: "poke",
        min_included_version: 0,
        max_included_version: 1,
        patches: [{ op: "reset", key: "k" }],
        client_id_to_last_mutation_id: {},
      }),
    ).toBeUndefined();
  });
});
