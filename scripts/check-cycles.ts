/**
 * Fails when a package's source has a circular import (part of `pnpm lint`): layers import
 * downward only. Every kind of import counts, type-only ones too (`import type`, `export type`,
 * `import("…")` types): a type cycle is a design cycle even though it vanishes at run time.
 *
 * Usage: `tsx scripts/check-cycles.ts [source roots…]` (default: the packages' `src` folders).
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import ts from "typescript";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : sources(path);
    return /\.tsx?$/.test(e.name) && !/\.(test|test-d|bench|e2e)\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/** Relative module specifiers `file` imports, of any kind, resolved to paths without extension. */
export function importsOf(file: string, text: string): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((name) => name.startsWith("."))
    .map((name) => resolve(dirname(file), name).replace(/\.(js|ts|tsx|jsx)$/, ""));
}

/** Every import cycle among the modules under `roots`, each as a list of paths (first = last). */
export function findCycles(roots: readonly string[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const root of roots.filter(existsSync)) {
    for (const file of sources(root)) {
      const path = resolve(file);
      graph.set(path.replace(/\.tsx?$/, ""), importsOf(path, readFileSync(path, "utf8")));
    }
  }
  const state = new Map<string, "visiting" | "done">();
  const cycles: string[][] = [];
  const visit = (node: string, stack: string[]): void => {
    if (state.get(node) === "done") return;
    if (state.get(node) === "visiting") {
      cycles.push([...stack.slice(stack.indexOf(node)), node]);
      return;
    }
    state.set(node, "visiting");
    for (const dep of graph.get(node) ?? []) {
      const target = graph.has(dep) ? dep : graph.has(`${dep}/index`) ? `${dep}/index` : undefined;
      if (target !== undefined) visit(target, [...stack, node]);
    }
    state.set(node, "done");
  };
  for (const node of graph.keys()) visit(node, []);
  return cycles;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename);
if (isMain) {
  const args = process.argv.slice(2);
  const roots = args.length > 0 ? args : ["packages/core/src", "packages/react/src", "packages/server/src"];
  const cycles = findCycles(roots);
  const cwd = resolve(".") + "/";
  for (const c of cycles) console.error(`circular import: ${c.map((n) => n.replace(cwd, "")).join(" → ")}`);
  if (cycles.length > 0) process.exit(1);
  console.log(`no circular imports under ${roots.join(", ")}`);
}
