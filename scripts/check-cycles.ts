/**
 * Fails when a package's source has a circular import (part of `pnpm lint`): layers import
 * downward only.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : sources(path);
    return /\.tsx?$/.test(e.name) && !/\.(test|test-d|bench|e2e)\.tsx?$/.test(e.name) ? [path] : [];
  });
}

const importRe = /^\s*(?:import|export)\s[^;]*?from\s+["'](\.[^"']+)["']/gm;
const graph = new Map<string, string[]>();
for (const root of ["packages/core/src", "packages/react/src", "packages/server/src"].filter(existsSync)) {
  for (const file of sources(root)) {
    const text = readFileSync(file, "utf8");
    const deps: string[] = [];
    for (const m of text.matchAll(importRe)) {
      if (/^\s*(import|export)\s+type\s/.test(m[0])) continue; // type-only imports vanish at run time
      const target = resolve(dirname(file), m[1]!).replace(/\.js$/, "");
      deps.push(target);
    }
    graph.set(file.replace(/\.tsx?$/, "").replace(/^/, resolve(".") + "/"), deps);
  }
}

const state = new Map<string, "visiting" | "done">();
const cycles: string[][] = [];
function visit(node: string, stack: string[]): void {
  if (state.get(node) === "done") return;
  if (state.get(node) === "visiting") {
    cycles.push([...stack.slice(stack.indexOf(node)), node]);
    return;
  }
  state.set(node, "visiting");
  for (const dep of graph.get(node) ?? []) {
    const resolved = graph.has(dep) ? dep : graph.has(`${dep}/index`) ? `${dep}/index` : undefined;
    if (resolved) visit(resolved, [...stack, node]);
  }
  state.set(node, "done");
}
for (const node of graph.keys()) visit(node, []);
if (cycles.length > 0) {
  const cwd = resolve(".") + "/";
  for (const c of cycles) console.error(`circular import: ${c.map((n) => n.replace(cwd, "")).join(" → ")}`);
  process.exit(1);
}
console.log(`no circular imports in ${graph.size} modules`);
