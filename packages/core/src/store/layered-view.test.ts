import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OrderedMap } from "../kv/ordered-map.js";
import { DELETED, LayeredView, scanBounds, type Layer } from "./layered-view.js";

const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`layered-view property seed: ${seed} (rerun with FC_SEED=${seed})`);

describe("LayeredView", () => {
  it("scans like the flattened layers, for any prefix, start and limit", () => {
    const key = fc.string({ unit: fc.constantFrom("a", "b", "/"), maxLength: 4 });
    const layer = fc.array(fc.tuple(key, fc.oneof(fc.integer(), fc.constant(DELETED))), { maxLength: 20 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, fc.integer()), { maxLength: 30 }),
        fc.array(layer, { maxLength: 3 }),
        fc.record({ prefix: key, start: key, limit: fc.option(fc.nat({ max: 10 }), { nil: undefined }) }),
        (baseEntries, layerEntries, options) => {
          const base = OrderedMap.from<unknown>(baseEntries);
          const layers: Layer[] = layerEntries.map((l) => OrderedMap.from<unknown>(l));
          const view = new LayeredView(base, layers);
          const flat = new Map<string, unknown>(baseEntries);
          for (const l of layerEntries) {
            for (const [k, v] of new Map(l)) {
              if (v === DELETED) flat.delete(k);
              else flat.set(k, v);
            }
          }
          const { limit, ...rest } = options;
          const bounds = scanBounds(limit === undefined ? rest : { ...rest, limit });
          const want = [...flat]
            .filter(([k]) => k.startsWith(bounds.prefix) && k >= bounds.from)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .slice(0, bounds.limit)
            .map(([k, value]) => ({ key: k, value }));
          expect(view.scan(bounds)).toEqual(want);
          for (const [k] of baseEntries) expect(view.get(k)).toBe(flat.get(k));
        },
      ),
      { seed, numRuns: 300 },
    );
  });
});
