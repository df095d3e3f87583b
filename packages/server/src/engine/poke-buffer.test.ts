import { canRead } from "@synced-store/core/internal";
import { decodeServerMessage, type PokeMessage } from "@synced-store/core/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PokeBuffer, type SpaceConnection } from "./poke-buffer.js";
import { DELETED, type ClientState } from "./space-state.js";

const USERS = ["u1", "u2", "u3"];

function connection(userId: string, clientId: string, version = 0): SpaceConnection & { frames: string[] } {
  const frames: string[] = [];
  return {
    userId,
    clientId,
    schemaVersion: 1,
    version,
    resetPending: false,
    frames,
    sendFrame: (f) => frames.push(f),
    drop: () => undefined,
  };
}

const keyArb = fc.oneof(
  fc.constantFrom("todos/1", "todos/2", "a", "b/c"),
  fc.constantFrom(...USERS).map((u) => `$$pu/${u}/note`),
  fc.constantFrom("$$so/secret", "$$so/x"),
);
const valueArb = fc.oneof(fc.constant(DELETED), fc.jsonValue());

describe("PokeBuffer", () => {
  it("sends each user exactly the final values it may read and only its clients' ids (property)", () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    console.log(`poke-buffer property seed: ${seed}`);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            writes: fc.array(fc.tuple(keyArb, valueArb), { maxLength: 6 }),
            clients: fc.array(
              fc.tuple(fc.constantFrom("c1", "c2", "c3"), fc.constantFrom(...USERS), fc.nat(50)),
              {
                maxLength: 2,
              },
            ),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        (commits) => {
          const buffer = new PokeBuffer();
          const finalWrites = new Map<string, unknown>();
          const finalClients = new Map<string, ClientState>();
          commits.forEach((c, i) => {
            const writes = new Map<string, unknown>(c.writes);
            const clients = new Map(
              c.clients.map(([id, userId, lmid]) => [id, { userId, lastMutationId: lmid }]),
            );
            for (const [k, v] of writes) finalWrites.set(k, v);
            for (const [id, s] of clients) finalClients.set(id, s);
            buffer.add(i + 1, i + 1, writes, clients);
          });
          const conns = USERS.map((u, i) => connection(u, `conn${i}`));
          buffer.flush(conns);
          for (const conn of conns) {
            expect(conn.frames).toHaveLength(1);
            const poke = decodeServerMessage(conn.frames[0]!) as PokeMessage;
            expect(poke).toMatchObject({
              type: "poke",
              min_included_version: 1,
              max_included_version: commits.length,
            });
            const expected = [...finalWrites]
              .filter(([k]) => canRead(conn.userId, k))
              .map(([key, v]) => (v === DELETED ? { op: "del", key } : { op: "set", key, value: v }));
            const byKey = (a: object, b: object) =>
              "key" in a && "key" in b && String(a.key) < String(b.key) ? -1 : 1;
            expect(JSON.parse(JSON.stringify([...poke.patches].sort(byKey)))).toEqual(
              JSON.parse(JSON.stringify(expected.sort(byKey))),
            );
            const ids = Object.fromEntries(
              [...finalClients]
                .filter(([, s]) => s.userId === conn.userId)
                .map(([id, s]) => [id, s.lastMutationId]),
            );
            expect(poke.client_id_to_last_mutation_id).toEqual(ids);
            expect(conn.version).toBe(commits.length);
          }
        },
      ),
      { seed, numRuns: 200 },
    );
  });

  it("skips connections already at the poke's version or waiting for a reset, and empties itself", () => {
    const buffer = new PokeBuffer();
    buffer.add(3, 4, new Map([["a", 1]]), new Map());
    const current = connection("u1", "c1", 4);
    const resetting = { ...connection("u1", "c2", 0), resetPending: true };
    const behind = connection("u1", "c3", 2);
    buffer.flush([current, resetting, behind]);
    expect(current.frames).toEqual([]);
    expect(resetting.frames).toEqual([]);
    expect(behind.frames).toHaveLength(1);
    expect(buffer.empty).toBe(true);
    expect(buffer.flush([behind])).toBeUndefined();
  });

  it("pokes the connections it acknowledges after everyone else's", () => {
    const buffer = new PokeBuffer();
    buffer.add(1, 1, new Map([["a", 1]]), new Map([["pusher", { userId: "u1", lastMutationId: 7 }]]));
    const order: string[] = [];
    const conns = ["pusher", "peer1", "peer2"].map((id) => ({
      ...connection(id === "pusher" ? "u1" : "u2", id),
      sendFrame: () => void order.push(id),
    }));
    buffer.flush(conns);
    expect(order).toEqual(["peer1", "peer2", "pusher"]);
  });
});
