import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { LOAD_USAGE } from "./load-args.js";
import { MIGRATE_USAGE } from "./migrate.js";
import { SERVE_USAGE } from "./serve.js";
import { helpFor, USAGE } from "./usage.js";

describe("synced-store help", () => {
  it.each([[[]], [["--help"]], [["-h"]], [["help"]]])("%j prints the commands once, exit 0", (argv) => {
    expect(helpFor(argv)).toEqual({ text: USAGE, stream: "stdout", exitCode: 0 });
  });

  it.each([
    ["serve", SERVE_USAGE],
    ["migrate", MIGRATE_USAGE],
    ["load", LOAD_USAGE],
  ])("%s --help prints that command's usage, not a missing module", (command, usage) => {
    expect(helpFor([command, "--help"])).toEqual({ text: usage, stream: "stdout", exitCode: 0 });
    expect(helpFor([command, "./defs.ts", "-h"])).toEqual({ text: usage, stream: "stdout", exitCode: 0 });
    expect(helpFor(["help", command])?.text).toBe(usage);
  });

  it("an unknown command gets the usage on stderr and exit 2; a real one runs", () => {
    expect(helpFor(["srve"])).toMatchObject({ stream: "stderr", exitCode: 2 });
    expect(helpFor(["srve"])?.text).toMatch(/^Unknown command srve\n\nUsage: synced-store <command>/);
    expect(helpFor(["serve", "./defs.ts", "--port", "0"])).toBeUndefined();
  });

  it("the installed command prints its usage line exactly once", () => {
    const bin = fileURLToPath(new URL("../../bin/synced-store.js", import.meta.url));
    for (const argv of [["--help"], ["serve", "--help"]]) {
      const run = spawnSync(process.execPath, [bin, ...argv], { encoding: "utf8", timeout: 30_000 });
      expect(run.status).toBe(0);
      expect(run.stdout.match(/^Usage:/gm)).toHaveLength(1);
      expect(run.stderr).toBe("");
    }
  });
});
