import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteStorage } from "./sqlite.js";
import type { StorageCommit } from "./storage.js";

const dir = mkdtempSync(join(tmpdir(), "synced-store-group-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("sqlite group commit", () => {
  it("commits work arriving at an idle server at once, and what arrives right after a commit together", async () => {
    const storage = openSqliteStorage({ path: join(dir, "group.db") });
    const commits: StorageCommit[] = [];
    const stop = storage.onCommit!((c) => commits.push(c));
    const write = (space: string) =>
      storage.transact(space, async (tx) => {
        await tx.putKeys(1, [{ key: "k", deleted: false, value: space }]);
        await tx.setVersion(1);
      });
    // Three callbacks of one turn of the event loop, as three sockets' frames would be: the
    // first commits alone at once; the next two, arriving after that commit, share one.
    const done: Array<Promise<void>> = [];
    await new Promise<void>((resolve) => {
      for (const space of ["s/a", "s/b", "s/c"]) setTimeout(() => done.push(write(space)), 0);
      setTimeout(resolve, 0);
    });
    await Promise.all(done);
    expect(commits.map((c) => c.transactions)).toEqual([1, 2]);
    expect(commits.every((c) => c.durationMs >= 0)).toBe(true);
    stop();
    await write("s/d");
    expect(commits).toHaveLength(2);
    await storage.close();
  });
});
