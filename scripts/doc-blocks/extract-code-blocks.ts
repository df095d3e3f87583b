/** A fenced TypeScript block of a markdown file. */
export interface CodeBlock {
  /** 1-based line of the block's first code line (the one after the opening fence). */
  readonly line: number;
  readonly lang: "ts" | "tsx";
  readonly code: string;
}

const FENCE = /^(\s*)```(\S*)\s*$/;

/** The ```ts and ```tsx blocks of `markdown`, in order; other languages are left out. */
export function extractCodeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? "");
    if (!open) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end] ?? "")) end++;
    const lang = open[2];
    if (lang === "ts" || lang === "tsx") {
      blocks.push({ line: start + 1, lang, code: lines.slice(start, end).join("\n") });
    }
    i = end;
  }
  return blocks;
}
