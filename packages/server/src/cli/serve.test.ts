import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadDefinition } from "./load-definition.js";
import { parseServeArgs } from "./serve.js";
import { jsonLogger } from "./json-logger.js";

describe("serve arguments", () => {
  it("parses options with defaults and keeps unknown flags for other backends", () => {
    expect(parseServeArgs(["defs.ts"])).toMatchObject({
      definition: "defs.ts",
      port: 8080,
      host: "127.0.0.1",
      path: "/sync",
      db: undefined,
      synchronous: "FULL",
    });
    const args = parseServeArgs([
      "defs.ts",
      "--port",
      "0",
      "--db",
      "x.db",
      "--sync",
      "normal",
      "--database-url",
      "postgres://x",
    ]);
    expect(args).toMatchObject({ port: 0, db: "x.db", synchronous: "NORMAL" });
    expect(args.extra["database-url"]).toBe("postgres://x");
  });

  it("takes the admin token from --admin-token or SYNCED_STORE_ADMIN_TOKEN, off by default", () => {
    const token = "0123456789abcdef0123";
    expect(parseServeArgs(["d.ts"]).adminToken).toBeUndefined();
    expect(parseServeArgs(["d.ts", "--admin-token", token]).adminToken).toBe(token);
    expect(parseServeArgs(["d.ts"], { SYNCED_STORE_ADMIN_TOKEN: token }).adminToken).toBe(token);
    expect(() => parseServeArgs(["d.ts", "--admin-token", "short"])).toThrow(/at least 16/);
  });

  it.each([
    [[]],
    [["d.ts", "--port", "70000"]],
    [["d.ts", "--sync", "OFF"]],
    [["d.ts", "--log-level", "loud"]],
  ])("rejects %j with a message", (argv) => {
    expect(() => parseServeArgs(argv)).toThrow(/Missing|Bad/);
  });
});

describe("loadDefinition", () => {
  it("collects the store definitions a module exports", async () => {
    const loaded = await loadDefinition(
      fileURLToPath(new URL("../test-support/test-store.ts", import.meta.url)),
    );
    expect(loaded.stores.map((s) => s.name)).toEqual(["test"]);
  });

  it("fails clearly on a module without definitions", async () => {
    await expect(loadDefinition(fileURLToPath(new URL("./json-logger.ts", import.meta.url)))).rejects.toThrow(
      /exports no store definition/,
    );
  });
});

describe("jsonLogger", () => {
  it("writes one JSON object per line at or above its level", () => {
    const lines: string[] = [];
    const log = jsonLogger((l) => lines.push(l), "info");
    log.debug("hidden");
    log.warn("careful", { space: "a/b" });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: "warn", msg: "careful", space: "a/b" });
    expect(lines[0]!.endsWith("\n")).toBe(true);
  });
});
