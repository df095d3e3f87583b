/**
 * `pnpm bench [filter]`: runs every `*.bench.ts` of the workspace, each in its own Node process
 * (with --expose-gc, against TypeScript sources), one after another so they do not disturb each
 * other. Each writes `bench-results/<suite>.json`. A benchmark that misses one of its targets
 * (or fails) exits non-zero, and so does this command, naming it.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const filter = process.argv[2] ?? "";
function findBenches(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === "node_modules" || e.name === "dist" || e.name.startsWith(".")) return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? findBenches(path) : e.name.endsWith(".bench.ts") ? [path] : [];
  });
}

const files = ["packages", "apps"]
  .flatMap(findBenches)
  .filter((f) => f.includes(filter))
  .sort();
if (files.length === 0) {
  console.error(`No benchmark matches "${filter}"`);
  process.exit(1);
}
const failed: string[] = [];
for (const file of files) {
  console.log(`\n# ${file}`);
  const run = spawnSync(
    process.execPath,
    ["--expose-gc", "--conditions=@synced-store/source", "--import", "tsx", file],
    { stdio: "inherit" },
  );
  if (run.status !== 0) failed.push(file);
}
if (failed.length > 0) console.error(`\nMissed a target or failed: ${failed.join(", ")}`);
process.exit(failed.length === 0 ? 0 : 1);
