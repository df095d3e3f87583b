import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "vite";

/** What `vite build` wrote for an app: every JavaScript chunk's text, by file name. */
export interface BuiltBundle {
  readonly chunks: ReadonlyMap<string, string>;
  /** Every chunk's text, joined. */
  readonly text: string;
}

/**
 * Builds the app at `appRoot` with its own Vite config into `outDir`, as `vite build` would
 * (production mode unless `mode` says otherwise; minified unless `minify` is false).
 */
export async function buildApp(
  appRoot: string,
  outDir: string,
  options: { mode?: string; minify?: boolean } = {},
): Promise<void> {
  const mode = options.mode ?? "production";
  // Vite builds for production only when NODE_ENV says so, and a test runner sets it to "test".
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = mode === "production" ? "production" : "development";
  try {
    await build({
      root: appRoot,
      configFile: join(appRoot, "vite.config.ts"),
      mode,
      logLevel: "silent",
      build: { outDir, emptyOutDir: true, minify: options.minify ?? true, reportCompressedSize: false },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

/**
 * Builds the app at `appRoot` (see `buildApp`, unminified) into a temporary directory and
 * returns its JavaScript.
 */
export async function buildBundle(appRoot: string, mode = "production"): Promise<BuiltBundle> {
  const outDir = mkdtempSync(join(tmpdir(), "bundle-"));
  try {
    await buildApp(appRoot, outDir, { mode, minify: false });
    const chunks = new Map<string, string>();
    const assets = join(outDir, "assets");
    for (const name of readdirSync(assets)) {
      if (name.endsWith(".js")) chunks.set(name, readFileSync(join(assets, name), "utf8"));
    }
    return { chunks, text: [...chunks.values()].join("\n") };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** Strings only the devtools package holds: none may reach an app's production bundle. */
export const DEVTOOLS_MARKERS = ["open Synced-Store devtools", "ssd-toggle", "Recently acknowledged"];
