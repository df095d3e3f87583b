import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OrderedMap } from "./ordered-map.js";

const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`ordered-map property seed: ${seed} (rerun with FC_SEED=${seed})`);

function scanFrom<V>(m: OrderedMap<V>, start: string): Array<[string, V]> {
  const out: Array<[string, V]> = [];
  const c = m.cursor(start);
  for (let k = c.peek(); k !== undefined; k = c.peek()) {
    out.push([k, c.value()]);
    c.advance();
  }
  return out;
}

describe("OrderedMap", () => {
  it("matches a sorted reference under random sets, deletes and scans", () => {
    const key = fc.string({ unit: fc.constantFrom("a", "b", "c", "/", "é"), maxLength: 5 });
    const op = fc.oneof(
      fc.record({ t: fc.constant("set" as const), key, value: fc.integer() }),
      fc.record({ t: fc.constant("del" as const), key }),
      fc.record({ t: fc.constant("scan" as const), key }),
      fc.record({ t: fc.constant("get" as const), key }),
      fc.record({ t: fc.constant("reads" as const), key }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), fc.boolean(), (ops, indexed) => {
        const m = new OrderedMap<number>({ indexed });
        const ref = new Map<string, number>();
        for (const o of ops) {
          if (o.t === "set") {
            m.set(o.key, o.value);
            ref.set(o.key, o.value);
          } else if (o.t === "del") {
            expect(m.delete(o.key)).toBe(ref.delete(o.key));
          } else if (o.t === "reads") {
            // Enough reads by key to index a large map: everything after runs on the index.
            for (let i = 0; i <= 2 * m.size; i++) expect(m.get(o.key)).toBe(ref.get(o.key));
          } else if (o.t === "get") {
            expect(m.get(o.key)).toBe(ref.get(o.key));
            expect(m.has(o.key)).toBe(ref.has(o.key));
          } else {
            const want = [...ref].filter(([k]) => k >= o.key).sort(([a], [b]) => (a < b ? -1 : 1));
            expect(scanFrom(m, o.key)).toEqual(want);
          }
          expect(m.size).toBe(ref.size);
        }
        const entries = [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
        expect(entries).toEqual([...ref].sort(([a], [b]) => (a < b ? -1 : 1)));
        expect(scanFrom(m.clone(), "")).toEqual(scanFrom(m, ""));
      }),
      { seed, numRuns: 200 },
    );
  });

  it("splits chunks and keeps order across many keys", () => {
    const m = new OrderedMap<number>();
    const n = OrderedMap.MAX_CHUNK * 5;
    for (let i = n - 1; i >= 0; i -= 2) m.set(String(i).padStart(5, "0"), i);
    for (let i = 0; i < n; i += 2) m.set(String(i).padStart(5, "0"), i);
    for (let i = 0; i < n; i += 3) m.delete(String(i).padStart(5, "0"));
    const keys = scanFrom(m, "").map(([k]) => Number(k));
    expect(keys).toEqual(Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 0));
    expect(scanFrom(m, "01000")[0]).toEqual(["01000", 1000]);
    expect(OrderedMap.from(scanFrom(m, "")).size).toBe(m.size);
    expect(
      scanFrom(
        OrderedMap.from([
          ["b", 2],
          ["a", 1],
        ]),
        "",
      ),
    ).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
  });

  it("keeps every entry when a large map read by key is indexed", () => {
    const m = new OrderedMap<number>();
    const n = OrderedMap.MAX_CHUNK * 3;
    for (let i = 0; i < n; i++) m.set(String(i).padStart(5, "0"), i); // appended, unindexed
    m.set("00007", -7); // overwrite in place
    m.delete("00008");
    const before = scanFrom(m, "");
    expect(m.get("00007")).toBe(-7);
    expect(m.get("00008")).toBeUndefined();
    for (let i = 0; i <= 2 * n; i++) m.get("00001"); // enough reads by key to build the index
    expect(m.get("00007")).toBe(-7);
    expect(m.get("00008")).toBeUndefined();
    expect(scanFrom(m, "")).toEqual(before);
    m.set("00008", 8);
    m.delete("00009");
    expect(scanFrom(m, "00007").slice(0, 3)).toEqual([
      ["00007", -7],
      ["00008", 8],
      ["00010", 10],
    ]);
    expect(m.size).toBe(n - 1);
  });
});
