import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { encodeMessage, type ClientMessage } from "@synced-store/core/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { todoV1 } from "../../../core/test/todo-versions.js";
import { openSqliteStorage } from "../storage/sqlite.js";
import { createSyncServer } from "../sync-server.js";
import { silentLogger } from "../logger.js";
import { migrate } from "./migrate.js";

const fixture = fileURLToPath(new URL("./fixtures/vtodo-v2.ts", import.meta.url));
const bin = fileURLToPath(new URL("../../bin/synced-store.js", import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A SQLite file with two spaces of version-1 data, written through a v1 server. */
async function seeded(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "ss-cli-migrate-"));
  dirs.push(dir);
  const path = join(dir, "db.sqlite");
  const server = createSyncServer({ stores: [todoV1], storage: openSqliteStorage({ path }) });
  for (const space of ["vtodo/a", "vtodo/b"]) {
    const frames: string[] = [];
    const conn = server.connect(
      (f) => frames.push(f),
      () => undefined,
    );
    const send = (m: ClientMessage) => conn.handleMessage(encodeMessage(m));
    send({
      type: "connect",
      space,
      client_id: `c-${space}`,
      auth: "ann",
      history_id: null,
      base_version: 0,
      last_mutation_id: 0,
      schema_version: 1,
    });
    await conn.idle();
    send({
      type: "push",
      client_id: `c-${space}`,
      mutations: [{ id: 1, name: "addTodo", args: { id: "t", text: "T" }, timestamp: 1 }],
    });
    await conn.idle();
    conn.close();
  }
  await server.close();
  return path;
}

describe("synced-store migrate", () => {
  it("migrates every stored space once; a second run finds them current", async () => {
    const db = await seeded();
    expect(await migrate([fixture, "--db", db], {}, silentLogger)).toEqual({
      spaces: 2,
      migrated: 2,
      current: 0,
      newer: 0,
      failed: [],
    });
    expect(await migrate([fixture, "--db", db], {}, silentLogger)).toMatchObject({ migrated: 0, current: 2 });
    const storage = openSqliteStorage({ path: db });
    const row = await storage.read("vtodo/a", (r) => r.get("todos/t"));
    expect(row?.value).toEqual({ id: "t", text: "T", done: false, priority: "normal" });
    await storage.close();
  });

  it("runs from the command line, logs what it did, and refuses to run without storage", async () => {
    const db = await seeded();
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [bin, "migrate", fixture, "--db", db]);
    const finished = stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg: string; migrated?: number })
      .find((entry) => entry.msg === "migration finished");
    expect(finished).toMatchObject({ migrated: 2 });
    await expect(run(process.execPath, [bin, "migrate", fixture])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("migrate needs --db <file> or --database-url <url>") as unknown,
    });
  });
});
