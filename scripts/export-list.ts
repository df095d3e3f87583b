/**
 * The public surface of a workspace package as text: every entry of its `exports` map and, under
 * each, every name it exports with its kind. Each package's `exports.test.ts` compares this with
 * the package's `exports.snapshot.txt`, so changing a package's surface is a deliberate act
 * (`pnpm vitest run -u` rewrites the snapshot; the diff shows in review).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

/** One name an entry exports. */
export interface ExportedName {
  readonly name: string;
  readonly kind: "class" | "function" | "const" | "type";
}

/** Entry (`.`, `./node`, …) → the source file the workspace resolves it to. */
export function packageEntries(packageDir: string): Map<string, string> {
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
    exports: Record<string, { "@synced-store/source": string }>;
  };
  return new Map(
    Object.entries(manifest.exports).map(([entry, targets]) => [
      entry,
      join(packageDir, targets["@synced-store/source"]),
    ]),
  );
}

/** The names each entry of the package at `packageDir` exports, sorted. */
export function exportedNames(packageDir: string): Map<string, ExportedName[]> {
  const entries = packageEntries(packageDir);
  const program = ts.createProgram([...entries.values()], {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    customConditions: ["@synced-store/source"],
    target: ts.ScriptTarget.ES2022,
    jsx: ts.JsxEmit.ReactJSX,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const out = new Map<string, ExportedName[]>();
  for (const [entry, file] of entries) {
    const source = program.getSourceFile(file);
    const module = source && checker.getSymbolAtLocation(source);
    if (module === undefined) throw new Error(`${entry}: cannot read ${file}`);
    const names = checker.getExportsOfModule(module).map((symbol): ExportedName => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const kind =
        target.flags & ts.SymbolFlags.Class
          ? "class"
          : target.flags & ts.SymbolFlags.Function
            ? "function"
            : target.flags & ts.SymbolFlags.Value
              ? "const"
              : "type";
      return { name: symbol.name, kind };
    });
    out.set(
      entry,
      names.sort((a, b) => byName(a.name, b.name)),
    );
  }
  return out;
}

/** Case-insensitive order (then exact), so `Store` sits beside `store`-ish names, not before every lower-case one. */
export function byName(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/** `exportedNames` as the snapshot text: one `## entry` heading per entry, one `kind name` line per name. */
export function exportListText(packageName: string, packageDir: string): string {
  const lines: string[] = [];
  for (const [entry, names] of exportedNames(packageDir)) {
    lines.push(`## ${entry === "." ? packageName : `${packageName}/${entry.slice(2)}`}`);
    for (const { kind, name } of names) lines.push(`${kind.padEnd(8)} ${name}`);
    lines.push("");
  }
  return lines.join("\n");
}
