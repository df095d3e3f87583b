/**
 * Small kit shared by every `*.bench.ts`: time samples, summarize them, print and write JSON.
 * Results land in `bench-results/<suite>.json` so runs can be compared.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Summary of timing samples, in milliseconds. */
export interface Timing {
  samples: number;
  medianMs: number;
  p99Ms: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
  opsPerSec: number;
}

/** One named figure of a suite. */
export interface BenchResult {
  name: string;
  workload: string;
  timing?: Timing;
  /** Any other figure: bytes, counts, ratios. */
  figures?: Record<string, number | string>;
  /** Where the time went: one summary per stage of the measured path, in path order. */
  stages?: Record<string, StageTiming>;
  /** The target from the issue, as text, and whether it was met. */
  target?: string;
  met?: boolean;
}

/** One stage of a measured path (from samples or from a server histogram). */
export interface StageTiming {
  medianMs: number;
  p99Ms: number;
  /** Observations (samples, pushes, commits: see the stage's name). */
  count: number;
}

/** Summarizes samples in milliseconds. */
export function summarize(samplesMs: number[]): Timing {
  const s = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return {
    samples: s.length,
    medianMs: at(0.5),
    p99Ms: at(0.99),
    meanMs: mean,
    minMs: s[0] ?? 0,
    maxMs: s[s.length - 1] ?? 0,
    opsPerSec: mean > 0 ? 1000 / mean : 0,
  };
}

/** Times `fn` `iterations` times after `warmup` untimed runs. */
export async function time(
  fn: (i: number) => unknown,
  { iterations = 1000, warmup = 100 }: { iterations?: number; warmup?: number } = {},
): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn(i);
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

/** Heap used after a forced GC (run node with --expose-gc), in bytes. */
export function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(1)}µs` : `${ms.toFixed(2)}ms`);

/**
 * Prints a suite's results as a table and writes them to `bench-results/<suite>.json`. When a
 * result missed its target, lists the misses and sets the process's exit code to 1, so `pnpm
 * bench` (and CI) fails visibly on a regression.
 */
export function report(suite: string, results: BenchResult[]): void {
  console.log(`\n## ${suite}`);
  for (const r of results) {
    const t = r.timing
      ? `median ${fmt(r.timing.medianMs)}  p99 ${fmt(r.timing.p99Ms)}  ${Math.round(r.timing.opsPerSec)} ops/s  (n=${r.timing.samples})`
      : "";
    const f = r.figures
      ? Object.entries(r.figures)
          .map(([k, v]) => `${k}=${v}`)
          .join("  ")
      : "";
    const target = r.target ? `  target ${r.target}: ${r.met ? "met" : "MISSED"}` : "";
    console.log(`- ${r.name} [${r.workload}]  ${t} ${f}${target}`);
    if (r.stages) {
      const parts = Object.entries(r.stages).map(
        ([stage, s]) => `${stage} ${fmt(s.medianMs)}/${fmt(s.p99Ms)}`,
      );
      console.log(`    stages (median/p99): ${parts.join("  ")}`);
    }
  }
  const dir = join(process.cwd(), "bench-results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${suite}.json`);
  writeFileSync(
    file,
    JSON.stringify({ suite, date: new Date().toISOString(), node: process.version, results }, null, 2),
  );
  console.log(`  → ${file}`);
  const missed = results.filter((r) => r.met === false);
  if (missed.length > 0) {
    console.log(`  ${missed.length} target(s) MISSED in ${suite}: ${missed.map((r) => r.name).join("; ")}`);
    process.exitCode = 1;
  }
}
