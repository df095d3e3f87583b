import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findCycles } from "./check-cycles.js";

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Writes `files` (path → text) under a fresh temp folder and returns the cycles found there. */
function cyclesIn(files: Record<string, string>): string[][] {
  dir = mkdtempSync(join(tmpdir(), "check-cycles-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const root = dir;
  return findCycles([root]).map((c) => c.map((p) => p.slice(root.length + 1)));
}

describe("check-cycles", () => {
  it("finds a cycle made only of type imports", () => {
    expect(
      cyclesIn({
        "a/handler.ts": 'import { handshake } from "./handshake.js";\nexport interface Env {}\n',
        "a/handshake.ts": 'import type { Env } from "./handler.js";\nexport const handshake = 1;\n',
      }),
    ).toEqual([["a/handler", "a/handshake", "a/handler"]]);
  });

  it.each([
    ["export type * from", 'export type * from "./x.js";'],
    ["an inline type import", 'import { type X } from "./x.js";'],
    ["an import() type", 'export type Y = import("./x.js").X;'],
    ["a re-export", 'export { X } from "./x.js";'],
  ])("counts %s", (_, line) => {
    expect(
      cyclesIn({ "y.ts": `${line}\n`, "x.ts": 'import type { Y } from "./y.js";\nexport type X = Y;\n' }),
    ).toHaveLength(1);
  });

  it("passes layers that import downward only, through index files, ignoring tests", () => {
    expect(
      cyclesIn({
        "kv/index.ts": 'export * from "./map.js";\n',
        "kv/map.ts": "export const map = 1;\n",
        "store/store.ts": 'import { map } from "../kv/index.js";\nexport const s = map;\n',
        "kv/map.test.ts": 'import { s } from "../store/store.js";\n',
      }),
    ).toEqual([]);
  });
});
