import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteStorage } from "./sqlite.js";
import { runStorageContract } from "./storage-contract.js";

const dir = mkdtempSync(join(tmpdir(), "synced-store-sqlite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runStorageContract("sqlite", () => openSqliteStorage({ path: join(dir, `contract-${n++}.db`) }));

describe("sqlite storage", () => {
  it("keeps committed data across a reopen of the same file", async () => {
    const path = join(dir, "reopen.db");
    const first = openSqliteStorage({ path });
    const head = await first.transact("s/1", async (tx) => {
      await tx.putKeys(1, [{ key: "a", deleted: false, value: { x: 1 } }]);
      await tx.putClients([{ clientId: "c", userId: "u", lastMutationId: 3, version: 1 }]);
      await tx.setVersion(1);
      return tx.head();
    });
    await first.close();
    const second = openSqliteStorage({ path, synchronous: "NORMAL" });
    await second.read("s/1", async (r) => {
      expect(await r.head()).toEqual(head);
      expect((await r.get("a"))?.value).toEqual({ x: 1 });
      expect((await r.getClient("c"))?.lastMutationId).toBe(3);
    });
    await second.close();
  });
});
