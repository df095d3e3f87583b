import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkPage, codeBlocks, excerptMismatch } from "./doc-blocks.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

describe("docs/EVOLUTION.md code blocks", () => {
  it("are excerpts of the example versions the evolution test runs", () => {
    const page = readFileSync(join(root, "docs/EVOLUTION.md"), "utf8");
    const blocks = codeBlocks(page).filter((b) => b.lang === "ts" || b.lang === "tsx");
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    expect(checkPage(root, "docs/EVOLUTION.md")).toEqual([]);
  });

  it("a changed line, a reordered part or an unnamed file is reported", () => {
    const source = "const a = 1;\nconst b = 2;\nconst c = 3;\n";
    const [ok, changed, reordered] = codeBlocks(
      [
        "```ts",
        "// x.ts",
        "const a = 1;",
        "// …",
        "const c = 3;",
        "```",
        "```ts",
        "// x.ts",
        "const b = 3;",
        "```",
        "```ts",
        "// x.ts",
        "const c = 3;",
        "// …",
        "const a = 1;",
        "```",
      ].join("\n"),
    );
    expect(ok && excerptMismatch(ok, source)).toBeUndefined();
    expect(changed && excerptMismatch(changed, source)).toMatch(/const b = 3;/);
    expect(reordered && excerptMismatch(reordered, source)).toMatch(/const a = 1;/);
  });
});
