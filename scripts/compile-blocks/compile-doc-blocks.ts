import { readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { codeBlocks } from "../doc-blocks.js";
import { declaredNames, exportedNames } from "./top-level-names.js";

/** A markdown file whose ```ts / ```tsx blocks must compile. */
export interface DocSource {
  /** Path of the markdown file, relative to the root. */
  readonly markdown: string;
  /**
   * A module exporting the names the abridged snippets use without declaring (`todo`, `store`, …),
   * relative to the root. Each block is checked as a file beside it, so the block's imports
   * resolve from the prelude's package; it imports the prelude's names it uses and does not
   * declare itself.
   */
  readonly prelude: string;
}

/**
 * Type-checks every ```ts and ```tsx block of `sources` against the workspace packages, each block
 * a module of its own, with the compiler options of `root`'s `tsconfig.base.json`. Returns the
 * errors as `file.md:line:col error TSxxxx: message`, with the markdown file's line numbers;
 * empty when every block compiles.
 */
export function checkDocBlocks(sources: readonly DocSource[], root: string): string[] {
  const virtual = new Map<string, { markdown: string; line: number; text: string }>();
  const preludes = new Set<string>();
  for (const source of sources) {
    const markdown = resolve(root, source.markdown);
    const prelude = resolve(root, source.prelude);
    preludes.add(prelude);
    const provided = exportedNames(readFileSync(prelude, "utf8"));
    const specifier = `../${basename(prelude).replace(/\.tsx?$/, ".js")}`;
    for (const block of codeBlocks(readFileSync(markdown, "utf8"))) {
      if (block.lang !== "ts" && block.lang !== "tsx") continue;
      const code = block.lines.join("\n");
      const own = declaredNames(code, block.lang);
      const used = provided.filter((n) => !own.has(n) && new RegExp(`\\b${n}\\b`).test(code));
      // Appended, not prepended: imports hoist, and the block keeps its line numbers.
      const imports = used.length > 0 ? `import { ${used.join(", ")} } from "${specifier}";\n` : "";
      const name = `${basename(markdown).replace(/\W/g, "_")}_${block.line}.${block.lang}`;
      const path = join(dirname(prelude), "__doc_blocks__", name);
      virtual.set(path, { markdown, line: block.line, text: `${code}\n${imports}export {};\n` });
    }
  }

  const config = ts.readConfigFile(join(root, "tsconfig.base.json"), (p) => ts.sys.readFile(p));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (p) => virtual.get(resolve(p))?.text ?? readFile(p);
  host.fileExists = (p) => virtual.has(resolve(p)) || fileExists(p);
  host.getSourceFile = (p, languageVersion, onError, shouldCreate) => {
    const entry = virtual.get(resolve(p));
    if (entry) return ts.createSourceFile(p, entry.text, languageVersion, true);
    return getSourceFile(p, languageVersion, onError, shouldCreate);
  };

  const program = ts.createProgram([...preludes, ...virtual.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    const { file, start } = diagnostic;
    if (!file || start === undefined) return `error TS${diagnostic.code}: ${message}`;
    const { line, character } = file.getLineAndCharacterOfPosition(start);
    const entry = virtual.get(resolve(file.fileName));
    const where = entry
      ? `${relative(root, entry.markdown)}:${entry.line + line}:${character + 1}`
      : `${relative(root, file.fileName)}:${line + 1}:${character + 1}`;
    return `${where} error TS${diagnostic.code}: ${message}`;
  });
}
