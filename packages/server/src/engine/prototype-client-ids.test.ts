import type { PokeMessage, PullResponseMessage, ServerMessage } from "@synced-store/core/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

let t: TestServer;
afterEach(async () => {
  await t.close();
});

const isPoke = (m: ServerMessage): m is PokeMessage => m.type === "poke";
const isPull = (m: ServerMessage): m is PullResponseMessage => m.type === "pull_response";

describe("client ids that name Object.prototype's members", () => {
  for (const clientId of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
    it(`${clientId} gets its acknowledgements in pokes and pull responses`, async () => {
      t = await startTestServer();
      const c = await t.connected("u1", clientId);
      const from = c.messages.length;
      c.send({
        type: "push",
        client_id: clientId,
        mutations: [{ id: 1, name: "increment", args: { by: 1 }, timestamp: 0 }],
      });
      const poke = await c.waitFor(isPoke, from);
      // On the wire: the id is a key of the JSON object.
      const frame = c.frames[c.messages.indexOf(poke)]!;
      expect(frame).toContain(`"client_id_to_last_mutation_id":{${JSON.stringify(clientId)}:1}`);
      // Decoded: an own key, whatever its name.
      expect(Object.hasOwn(poke.client_id_to_last_mutation_id, clientId)).toBe(true);
      expect(poke.client_id_to_last_mutation_id[clientId]).toBe(1);

      const pulled = c.messages.length;
      c.send({ type: "pull", client_id: clientId, base_version: 0 });
      const pull = await c.waitFor(isPull, pulled);
      expect(Object.hasOwn(pull.client_id_to_last_mutation_id, clientId)).toBe(true);
      expect(pull.client_id_to_last_mutation_id[clientId]).toBe(1);
    });
  }
});
