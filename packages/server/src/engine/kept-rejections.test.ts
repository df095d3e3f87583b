import type { MutationErrorMessage, ServerMessage } from "@synced-store/core/protocol";
import Database from "better-sqlite3";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStorage } from "../storage/sqlite.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";
import { utf8Length } from "../util/storable-text.js";

const LIMITS = {
  maxErrorMessageBytes: 512,
  rejectionsPerClient: 10,
  rejectionBytesPerClient: 4096,
  rejectionsPerSpace: 30,
  rejectionBytesPerSpace: 8192,
};
/** The attack, scaled down: 4 client ids, 25 pushes each of a mutation with a huge name. */
const CLIENTS = 4;
const PUSHES = 25;
const NAME = "n".repeat(200_000);

let t: TestServer;
let dir: string;
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const isErrorFor =
  (id: number) =>
  (m: ServerMessage): m is MutationErrorMessage =>
    m.type === "mutation_error" && m.mutation_id === id;

describe("rejections of an attacker", () => {
  it("keep memory and SQLite within their byte and count bounds, during the attack and after", async () => {
    dir = mkdtempSync(join(tmpdir(), "synced-store-rejections-"));
    const path = join(dir, "db.sqlite");
    t = await startTestServer({ storage: openSqliteStorage({ path }), limits: LIMITS });
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) => t.connected("mallory", `attacker-${i}`)),
    );
    for (let id = 1; id <= PUSHES; id++) {
      for (const c of clients) {
        c.sendRaw(
          JSON.stringify({
            type: "push",
            client_id: `attacker-${clients.indexOf(c)}`,
            mutations: [{ id, name: NAME, args: {}, timestamp: 0 }],
          }),
        );
      }
    }
    for (const c of clients) await c.waitFor(isErrorFor(PUSHES));

    // What went back on the wire: the code, and a message cut to the bound.
    for (const c of clients) {
      const errors = c.messages.filter((m) => m.type === "mutation_error");
      expect(errors).toHaveLength(PUSHES);
      for (const e of errors) {
        expect(e.code).toBe("unknown_mutator");
        expect(utf8Length(e.message)).toBeLessThanOrEqual(LIMITS.maxErrorMessageBytes);
      }
    }

    const kept = () => t.server.inspect().spaces.find((s) => s.id === "test/1")!.keptRejections;
    const stored = () => {
      const db = new Database(path, { readonly: true });
      try {
        return db
          .prepare<[], { count: number; bytes: number; clients: number; most: number }>(
            `SELECT COUNT(*) AS count, COUNT(DISTINCT client_id) AS clients, COALESCE(SUM(length(CAST(client_id AS BLOB)) +
               length(CAST(code AS BLOB)) + length(CAST(message AS BLOB)) + 16), 0) AS bytes,
               COALESCE((SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM rejections GROUP BY client_id)), 0) AS most
             FROM rejections`,
          )
          .get()!;
      } finally {
        db.close();
      }
    };
    const check = () => {
      const memory = kept();
      expect(memory.count).toBeGreaterThan(0);
      expect(memory.count).toBeLessThanOrEqual(LIMITS.rejectionsPerSpace);
      expect(memory.bytes).toBeLessThanOrEqual(LIMITS.rejectionBytesPerSpace);
      const disk = stored();
      expect(disk.count).toBeGreaterThan(0);
      expect(disk.count).toBeLessThanOrEqual(LIMITS.rejectionsPerSpace);
      expect(disk.most).toBeLessThanOrEqual(LIMITS.rejectionsPerClient);
      expect(disk.bytes).toBeLessThanOrEqual(LIMITS.rejectionBytesPerSpace);
    };
    check();

    for (const c of clients) c.close();
    for (const c of clients) await c.waitClosed();
    await t.server.settled();
    check();
    // The file holds none of the names: 100 pushes of 200 kB each left far less than one of them.
    const size = statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    expect(size).toBeLessThan(2 * 1024 * 1024);

    // A client that reconnects still hears of its newest rejections, within the bound.
    const back = await t.client();
    await back.connect({ space: "test/1", clientId: "attacker-0", auth: "mallory", lastMutationId: 20 });
    const replayed = await back.waitFor(isErrorFor(PUSHES));
    expect(utf8Length(replayed.message)).toBeLessThanOrEqual(LIMITS.maxErrorMessageBytes);
  });
});
