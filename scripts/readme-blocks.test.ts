import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { checkDocBlocks, type DocSource } from "./compile-blocks/compile-doc-blocks.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const readmePrelude = "apps/todo/doc-blocks/readme.ts";

/**
 * Markdown files whose ```ts / ```tsx blocks must compile, each with the module that gives the
 * names its abridged snippets assume.
 */
const sources: DocSource[] = [{ markdown: "README.md", prelude: readmePrelude }];

// A file with one wrong block, checked in the same program: shows the check can fail, and where.
const dir = mkdtempSync(join(tmpdir(), "doc-blocks-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const broken = join(dir, "broken.md");
writeFileSync(
  broken,
  [
    "# Broken",
    "```sh",
    "not checked",
    "```",
    "```ts",
    "const fine: number = 1;",
    'todo.mutatorDefs.addTodo.args.parse({ id: "a" }); // from the prelude',
    'const wrong: number = "one";',
    "```",
  ].join("\n"),
);

it("type-checks the docs' code blocks against the packages", () => {
  const errors = checkDocBlocks(
    [...sources, { markdown: relative(root, broken), prelude: readmePrelude }],
    root,
  );
  const elsewhere = errors.filter((e) => !e.includes("broken.md"));
  expect(elsewhere).toEqual([]);
  const inBroken = errors.filter((e) => e.includes("broken.md"));
  expect(inBroken).toHaveLength(1);
  expect(inBroken[0]).toMatch(
    /broken\.md:8:7 error TS2322: Type 'string' is not assignable to type 'number'/,
  );
}, 120_000); // one type-check of the packages' sources
