/**
 * Code blocks of a Markdown page that are excerpts of source files. A block whose first line is
 * `// <path>` (relative to the repository) shows parts of that file; lines `// …` separate the
 * parts. Each part must appear in the file verbatim (whole lines, in order), so a block cannot
 * drift from code that the type checker and the tests run.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** One fenced code block: its language, first line number (1-based) and lines. */
export interface CodeBlock {
  readonly lang: string;
  readonly line: number;
  readonly lines: readonly string[];
}

/** The fenced code blocks of `markdown` (fences may be indented, as in list items). */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i] ?? "");
    if (open === null) continue;
    const indent = open[1] ?? "";
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j] ?? ""); j++) {
      const text = lines[j] ?? "";
      body.push(text.startsWith(indent) ? text.slice(indent.length) : text);
    }
    blocks.push({ lang: open[2] ?? "", line: i + 2, lines: body });
    i = j;
  }
  return blocks;
}

const ELISION = /^\s*\/\/ …\s*$/;

/** The source path a block names on its first line, or undefined. */
export function excerptSource(block: CodeBlock): string | undefined {
  return /^\/\/ ([\w./-]+\.tsx?)$/.exec(block.lines[0] ?? "")?.[1];
}

/**
 * Why `block` is not an excerpt of `source` (the file's text), or undefined when each of its
 * parts appears in the file, in order.
 */
export function excerptMismatch(block: CodeBlock, source: string): string | undefined {
  const file = source.split("\n");
  const parts: string[][] = [[]];
  for (const line of block.lines.slice(1)) {
    if (ELISION.test(line)) parts.push([]);
    else parts[parts.length - 1]?.push(line);
  }
  let from = 0;
  for (const part of parts) {
    while (part.length > 0 && part[0]?.trim() === "") part.shift();
    while (part.length > 0 && part[part.length - 1]?.trim() === "") part.pop();
    if (part.length === 0) continue;
    const at = findLines(file, part, from);
    if (at === -1) return `not found in order in the file:\n${part.join("\n")}`;
    from = at + part.length;
  }
  return undefined;
}

function findLines(file: readonly string[], part: readonly string[], from: number): number {
  for (let i = from; i + part.length <= file.length; i++) {
    if (part.every((line, k) => file[i + k] === line)) return i;
  }
  return -1;
}

/** Every TypeScript block of the page at `page` (repository-relative) and what is wrong with it. */
export function checkPage(root: string, page: string): Array<{ line: number; problem: string }> {
  const problems: Array<{ line: number; problem: string }> = [];
  for (const block of codeBlocks(readFileSync(join(root, page), "utf8"))) {
    if (block.lang !== "ts" && block.lang !== "tsx") continue;
    const path = excerptSource(block);
    if (path === undefined) {
      problems.push({ line: block.line, problem: "does not start with `// <source file>`" });
      continue;
    }
    let source: string;
    try {
      source = readFileSync(join(root, path), "utf8");
    } catch {
      problems.push({ line: block.line, problem: `names ${path}, which does not exist` });
      continue;
    }
    const mismatch = excerptMismatch(block, source);
    if (mismatch !== undefined) problems.push({ line: block.line, problem: `${path}: ${mismatch}` });
  }
  return problems;
}
