/**
 * Random mutator programs: sequences of get / has / scan (prefix, start, limit) / set / del /
 * update / in-place edit of a read value / throw, over shared, private (own and another user's),
 * server-only and unknown keys, with valid and schema-invalid values. Run by the differential test
 * of the two engines and by the end-to-end convergence test.
 */
import { canRead } from "@synced-store/core/internal";
import type { KeySchemas, WriteTransaction } from "@synced-store/core";
import fc from "fast-check";
import { z } from "zod";

/** One step of a random mutator program. */
export type ProgramOp =
  | { op: "get" | "has" | "del" | "inc" | "editInPlace"; key: string }
  | { op: "scan"; prefix: string; start?: string; limit?: number }
  | { op: "set"; key: string; value: unknown }
  | { op: "throw" };

/** Keys programs use; `$$pu/u1/` and `$$pu/u2/` are the private keys of users `u1` and `u2`. */
export const PROGRAM_KEYS = [
  "items/a",
  "items/b",
  "items/c",
  "obj/a",
  "obj/b",
  "$$pu/u1/n",
  "$$pu/u2/n",
  "$$so/n/a",
  "nope/x",
] as const;

/** Schemas of the key families programs use (`nope/x` has none: writing it is an error). */
export const programKeySchemas = {
  "items/*": z.number(),
  "obj/*": z.object({ n: z.number() }),
  "$$pu/*/n": z.number(),
  "$$so/n/*": z.number(),
};

/**
 * Runs `program` on `tx`, telling `seen` what each read step saw. A read of a key the user may
 * not read reports absent: a client never holds one, while the server's mutator sees it.
 */
export async function runProgram<S extends KeySchemas>(
  typed: WriteTransaction<S>,
  program: readonly ProgramOp[],
  seen: (value: unknown) => void = () => undefined,
): Promise<void> {
  // Programs use keys of any family (and of none) on purpose.
  const tx = typed as unknown as WriteTransaction;
  const visible = (key: string, value: unknown) => (canRead(tx.userId, key) ? value : undefined);
  for (const step of program) {
    switch (step.op) {
      case "get":
        seen(visible(step.key, await tx.get(step.key)));
        break;
      case "has":
        seen(visible(step.key, await tx.has(step.key)) ?? false);
        break;
      case "scan": {
        const { op: _op, ...options } = step;
        const entries = await tx.scan(options);
        seen(entries.filter((e) => canRead(tx.userId, e.key)));
        break;
      }
      case "set":
        await tx.set(step.key, step.value);
        break;
      case "del":
        seen(visible(step.key, await tx.del(step.key)) ?? false);
        break;
      case "inc":
        seen(visible(step.key, await tx.update(step.key, (d) => (typeof d === "number" ? d + 1 : d))));
        break;
      case "editInPlace": {
        const value = await tx.get(step.key);
        if (typeof value === "object" && value !== null) {
          (value as { n: number }).n++;
          await tx.set(step.key, value);
        }
        break;
      }
      case "throw":
        throw new Error("program threw");
    }
  }
}

const keyArb = fc.constantFrom(...PROGRAM_KEYS);
const numberArb = fc.integer({ min: -5, max: 5 });
/** Valid values of some family, and values no schema accepts as they are. */
export const programValueArb = fc.oneof(
  numberArb,
  fc.record({ n: numberArb }),
  fc.constantFrom("bad", null, Number.NaN, -0, { n: 1, extra: undefined }),
);
export const programOpArb: fc.Arbitrary<ProgramOp> = fc.oneof(
  fc.record({ op: fc.constantFrom("get", "has", "del", "inc", "editInPlace" as const), key: keyArb }),
  // A limited scan over a prefix holding keys the client never has would see other entries: by
  // design, so limits go with family prefixes only.
  fc.record(
    {
      op: fc.constant("scan" as const),
      prefix: fc.constantFrom("items/", "obj/", "$$pu/u1/"),
      start: fc.constantFrom("items/b", "obj/b", "$$pu/u1/n"),
      limit: fc.integer({ min: 0, max: 3 }),
    },
    { requiredKeys: ["op", "prefix"] },
  ),
  fc.record({ op: fc.constant("scan" as const), prefix: fc.constantFrom("", "$$", "items/") }),
  fc.record({ op: fc.constant("set" as const), key: keyArb, value: programValueArb }),
  fc.constant({ op: "throw" as const }),
);

/** Steps that succeed on their own (valid writes of shared keys), to mix in where most calls should apply. */
export const programWriteArb: fc.Arbitrary<ProgramOp> = fc.oneof(
  fc.record({
    op: fc.constant("set" as const),
    key: fc.constantFrom("items/a", "items/b", "items/c"),
    value: numberArb,
  }),
  fc.record({
    op: fc.constant("set" as const),
    key: fc.constantFrom("obj/a", "obj/b"),
    value: fc.record({ n: numberArb }),
  }),
  fc.record({
    op: fc.constantFrom("inc", "del" as const),
    key: fc.constantFrom("items/a", "items/b", "items/c"),
  }),
);

/** A random valid state over the program keys (every user's private keys, server-only keys). */
export const programStateArb = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...PROGRAM_KEYS.filter((k) => k !== "nope/x")), numberArb), {
    selector: ([k]) => k,
    maxLength: PROGRAM_KEYS.length,
  })
  .map((entries) =>
    Object.fromEntries(entries.map(([key, n]) => [key, key.startsWith("obj/") ? { n } : n] as const)),
  );
